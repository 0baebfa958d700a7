package dev.coord.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema is created once, by whichever process comes first, and a newer schema is refused clearly. */
class PgSchemaTest {
    @TempDir
    Path dir;

    private static LivenessJudge judge() {
        return new LivenessJudge(
                Duration.ofSeconds(30), new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), new FakeProbe());
    }

    private PgStore open(String url, String project) {
        return PgStore.open(PgUrl.parse(url, Map.of()), project, dir, judge(), () -> Duration.ZERO);
    }

    @Test
    void storesOpeningAtOnceOnAnEmptyDatabaseMigrateItOnce() throws Exception {
        String url = PostgresServer.shared().newDatabase("schema");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PgStore>> opened = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String project = "p" + (i % 2);
                opened.add(pool.submit(() -> open(url, project)));
            }
            for (Future<PgStore> f : opened) {
                f.get().close();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT version, name FROM coord_schema_version ORDER BY version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("V1__init.sql");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getString(2)).isEqualTo("V2__edit_claims.sql");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
                assertThat(rs.getString(2)).isEqualTo("V3__messages.sql");
                assertThat(rs.next()).isFalse();
            }
            try (ResultSet rs = st.executeQuery("SELECT key FROM coord_project ORDER BY key")) {
                List<String> keys = new ArrayList<>();
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
                assertThat(keys).containsExactly("p0", "p1");
            }
            boolean trigramAvailable;
            try (ResultSet rs =
                    st.executeQuery("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")) {
                rs.next();
                trigramAvailable = rs.getInt(1) == 1;
            }
            try (ResultSet rs =
                    st.executeQuery("SELECT count(*) FROM pg_indexes WHERE indexname = 'coord_decision_text'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(trigramAvailable ? 1 : 0);
            }
        }
    }

    @Test
    void aDatabaseWithANewerSchemaIsRefusedWithAClearMessage() throws Exception {
        String url = PostgresServer.shared().newDatabase("newer");
        open(url, "p").close();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO coord_schema_version (version, name) VALUES (99, 'V99__future.sql')");
        }
        assertThatThrownBy(() -> open(url, "p"))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("upgrade coord");
    }

    @Test
    void anUnreachableDatabaseFailsWithTheStoreNamedAndNoPassword() {
        assertThatThrownBy(() -> open("postgres://coord:secret-pw@127.0.0.1:1/nowhere", "p"))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                .hasMessageStartingWith("postgres store postgresql://coord@127.0.0.1:1/nowhere unavailable:")
                .hasMessageNotContaining("secret-pw");
    }
}
