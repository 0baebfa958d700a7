package dev.coord.postgres;

import static dev.coord.engine.testing.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the database under a live store, on a PostgreSQL of this class's own: an immediate shutdown and restart
 * (as a crash), and coord's connection terminated by the server while a lease is held. Nothing may be half-applied,
 * lost or doubled, and the store must come back by itself.
 */
class PgStoreFaultTest {
    private static final AtomicInteger PROJECTS = new AtomicInteger();
    private static final Duration TTL = Duration.ofMinutes(30);
    private static PostgresServer pg;
    private static String db;

    @TempDir
    Path localDir;

    private final String project = "github.com/test/fault-" + PROJECTS.incrementAndGet();
    private Instance a;

    @BeforeAll
    static void server() {
        pg = PostgresServer.startNew();
        String url = pg.newDatabase("fault");
        db = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    }

    @AfterAll
    static void stop() {
        if (!pg.running()) {
            pg.start();
        }
    }

    @BeforeEach
    void restartIfNeeded() {
        if (!pg.running()) {
            pg.start();
        }
    }

    private PgStore open() {
        LivenessJudge judge = new LivenessJudge(
                Duration.ofSeconds(30), new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), new FakeProbe());
        return PgStore.open(PgUrl.parse(pg.url(db), Map.of()), project, localDir, judge, () -> Duration.ZERO);
    }

    private static List<LockRequest> ex(String path) {
        return List.of(new LockRequest(path, LockMode.EXCLUSIVE, null));
    }

    /** Calls until the store answers again (it reconnects with back-off), at most a minute. */
    private static <T> T whenBack(java.util.function.Supplier<T> call, List<String> errorsSeen) {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (true) {
            try {
                return call.get();
            } catch (CoordException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                errorsSeen.add(e.getMessage());
                if (Instant.now().isAfter(giveUp)) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Test
    void aDatabaseRestartFailsCallsClearlyAndTheStoreRecoversWithNothingLost() {
        try (PgStore store = open()) {
            a = instance("claude-a", 101, store.now());
            store.register(a);
            long token = store.acquire(a, ex("src/A.java"), TTL, "before", null)
                    .grants()
                    .get(0)
                    .token();
            store.appendDecision(a, new DecisionDraft("ops", "before the crash", "d", null, List.of(), null));

            pg.crash();
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> store.acquire(a, ex("src/B.java"), TTL, "during", null))
                        .isInstanceOfSatisfying(CoordException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                            messages.add(e.getMessage());
                        });
            }
            System.out.println("during the outage: " + messages);
            assertThat(messages).allSatisfy(m -> assertThat(m)
                    .startsWith("postgres store postgresql://postgres@127.0.0.1:" + pg.port() + "/" + db)
                    .contains("unavailable")
                    .doesNotContain("password"));

            pg.start();
            List<String> afterRestart = new ArrayList<>();
            AcquireOutcome b = whenBack(() -> store.acquire(a, ex("src/B.java"), TTL, "after", null), afterRestart);
            System.out.println("calls failed after the restart before the reconnect: " + afterRestart.size());
            assertThat(b.acquired()).isTrue();
            List<LockRecord> locks = store.read().locks();
            assertThat(locks).extracting(LockRecord::path).containsExactly("src/A.java", "src/B.java");
            assertThat(locks.get(0).token()).isEqualTo(token);
            assertThat(b.grants().get(0).token()).isGreaterThan(token);
            assertThat(store.decisions(new dev.coord.engine.model.DecisionQuery(null, null, null, 10)))
                    .extracting(d -> d.title())
                    .containsExactly("before the crash");
            // the failed acquires left nothing behind: one grant of each path in the audit trail
            assertThat(store.auditEvents().stream().filter("acquire"::equals).count())
                    .isEqualTo(2);
        }
    }

    @Test
    void aConnectionDroppedWhileHoldingALeaseIsReplacedAndTheLeaseIsKeptOnce() {
        try (PgStore store = open();
                PgStore other = open()) {
            a = instance("claude-a", 101, store.now());
            Instance b = instance("claude-b", 102, store.now());
            store.register(a);
            other.register(b);
            long token = store.acquire(a, ex("src/A.java"), TTL, "held", null)
                    .grants()
                    .get(0)
                    .token();

            pg.sql(
                    "postgres",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'coord'"
                            + " AND datname = '" + db + "' AND pid <> pg_backend_pid()");

            // both stores lost their connections; their next calls reconnect by themselves
            AcquireOutcome refused = other.acquire(b, ex("src/A.java"), TTL, "wants it", null);
            assertThat(refused.acquired()).isFalse();
            assertThat(refused.conflicts())
                    .singleElement()
                    .satisfies(c -> assertThat(c.heldBy().instanceId()).isEqualTo("claude-a"));
            AcquireOutcome renewed = store.acquire(a, ex("src/A.java"), TTL, "held", null);
            assertThat(renewed.acquired()).isTrue();
            assertThat(renewed.grants().get(0).token()).isEqualTo(token);
            assertThat(renewed.grants().get(0).renewed()).isTrue();
            assertThat(store.read().locks()).singleElement().satisfies(l -> {
                assertThat(l.holder()).isEqualTo("claude-a");
                assertThat(l.token()).isEqualTo(token);
            });
            assertThat(store.rowCounts()).containsEntry("locks", 1L).containsEntry("instances", 2L);
        }
    }
}
