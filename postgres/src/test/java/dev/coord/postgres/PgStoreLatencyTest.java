package dev.coord.postgres;

import static dev.coord.engine.testing.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.store.CoordStore;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures acquire + release and log decision through each store, side by side, and prints the figures quoted in
 * docs/postgres.md. It asserts only that every call worked: timings depend on the machine.
 */
class PgStoreLatencyTest {
    private static final int WARM_UP = 50;
    private static final int ROUNDS = 300;

    @TempDir
    Path dir;

    private static LivenessJudge judge() {
        return new LivenessJudge(
                Duration.ofSeconds(30), new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), new FakeProbe());
    }

    @Test
    void acquireReleaseAndDecisionLatencyOfBothStores() {
        String url = PostgresServer.shared().newDatabase("latency");
        try (CoordStore pg = PgStore.open(
                        PgUrl.parse(url, Map.of()), "bench/latency", dir.resolve("pg"), judge(), () -> Duration.ZERO);
                CoordStore file =
                        FileStore.open(dir.resolve("file"), Clock.systemUTC(), judge(), FileStoreOptions.defaults())) {
            System.out.println("postgres: " + measure(pg));
            System.out.println("file:     " + measure(file));
        }
    }

    private static String measure(CoordStore store) {
        Instance a = instance("claude-bench", 4242, store.now());
        store.register(a);
        for (int i = 0; i < 20; i++) {
            store.acquire(
                    a,
                    List.of(new LockRequest("other/" + i, LockMode.EXCLUSIVE, null)),
                    Duration.ofHours(1),
                    null,
                    null);
        }
        long[] lock = new long[ROUNDS];
        long[] decision = new long[ROUNDS / 3];
        for (int i = -WARM_UP; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            boolean ok = store.acquire(
                            a,
                            List.of(new LockRequest("src/File" + (i & 7) + ".java", LockMode.EXCLUSIVE, null)),
                            Duration.ofMinutes(5),
                            "bench",
                            null)
                    .acquired();
            assertThat(ok).isTrue();
            assertThat(store.release(a, List.of("src/File" + (i & 7) + ".java"), false, null, Map.of())
                            .released())
                    .hasSize(1);
            if (i >= 0) {
                lock[i] = System.nanoTime() - t0;
            }
        }
        for (int i = 0; i < decision.length; i++) {
            long t0 = System.nanoTime();
            store.appendDecision(a, new DecisionDraft("bench", "decision " + i, "why " + i, null, List.of("x"), null));
            decision[i] = System.nanoTime() - t0;
        }
        return "acquire+release median " + ms(lock, 50) + " ms, p95 " + ms(lock, 95) + " ms; log decision median "
                + ms(decision, 50) + " ms, p95 " + ms(decision, 95) + " ms (" + ROUNDS + " and " + decision.length
                + " rounds, 20 other locks held)";
    }

    private static String ms(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int idx = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return String.format(java.util.Locale.ROOT, "%.2f", sorted[Math.max(0, idx)] / 1e6);
    }
}
