package dev.coord.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release marks are rows looked up per path, written per release, and pruned without losing recent ones. */
class PgReleaseMarksTest {
    private static final String PROJECT = "github.com/test/release-marks";

    @TempDir
    Path localDir;

    @Test
    void marksArePerPathRowsThatSurvivePruningAndAreConsumedByTheNextGrant() throws SQLException {
        String url = PostgresServer.shared().newDatabase("marks");
        LivenessJudge judge = new LivenessJudge(
                Duration.ofSeconds(30), new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), new FakeProbe());
        int releases = 300; // more than one pruning round (every 256th mark written)
        try (PgStore store = PgStore.open(PgUrl.parse(url, Map.of()), PROJECT, localDir, judge, () -> Duration.ZERO)) {
            Instance a = Instances.instance("a", 101, store.now());
            store.register(a);
            for (int i = 0; i < releases; i++) {
                String path = "src/f" + i + ".txt";
                assertThat(store.acquire(
                                        a,
                                        List.of(new LockRequest(path, LockMode.EXCLUSIVE, null)),
                                        Duration.ofMinutes(5),
                                        null,
                                        null)
                                .acquired())
                        .isTrue();
                store.release(a, List.of(path), false, null, Map.of(path, "hash-" + i));
            }
            assertThat(markCount(url)).isEqualTo(releases);

            Instance b = Instances.instance("b", 102, store.now());
            store.register(b);
            Grant g = store.acquire(
                            b,
                            List.of(new LockRequest("src/f0.txt", LockMode.EXCLUSIVE, "edited-since")),
                            Duration.ofMinutes(5),
                            null,
                            null)
                    .grants()
                    .get(0);
            assertThat(g.changedSinceRelease())
                    .as("the oldest mark survived pruning")
                    .isTrue();
            assertThat(g.lastReleasedBy()).isEqualTo("a");
            assertThat(markCount(url)).isEqualTo(releases - 1);
        }
    }

    private static long markCount(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM coord_release_mark WHERE project = ?")) {
            ps.setString(1, PROJECT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
