package dev.coord.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One server, one client, calls in sequence. */
final class RoundTrip {
    private RoundTrip() {}

    static final int CALLS = Integer.getInteger("bench.calls", 2000);
    static final int WARMUP = 200;

    static void run(Env env) {
        Launch l = Launch.server(env);
        Path repo = env.newRepo("roundtrip");
        Stats acquire = new Stats();
        Stats release = new Stats();
        Stats pair = new Stats();
        Stats log = new Stats();
        Stats query = new Stats();
        Stats status = new Stats();
        int[] lost = {0};
        long rssAfter;
        try (Rpc rpc = l.spawn(repo, Map.of(), env.stderrLog)) {
            rpc.initialize();
            rpc.toolsList();
            for (int i = 0; i < WARMUP + CALLS; i++) {
                if (lost[0] > 3) {
                    break;
                }
                try {
                    List<String> p = List.of("src/f" + (i % 50) + ".txt");
                    long t0 = System.nanoTime();
                    rpc.call("acquire_lock", Map.of("paths", p));
                    long t1 = System.nanoTime();
                    rpc.call("release_lock", Map.of("paths", p));
                    long t2 = System.nanoTime();
                    if (i >= WARMUP) {
                        acquire.add(t1 - t0);
                        release.add(t2 - t1);
                        pair.add(t2 - t0);
                    }
                } catch (Rpc.LostAnswer e) {
                    lost[0]++;
                    System.err.println(e.getMessage());
                }
            }
            for (int i = 0; i < WARMUP + CALLS; i++) {
                if (lost[0] > 3) {
                    break;
                }
                try {
                    long t0 = System.nanoTime();
                    rpc.call(
                            "log_decision",
                            Map.of(
                                    "category",
                                    "cat-" + (i % 10),
                                    "title",
                                    "decision " + i,
                                    "description",
                                    "we chose option " + i + " because it is simpler"));
                    if (i >= WARMUP) {
                        log.add(System.nanoTime() - t0);
                    }
                } catch (Rpc.LostAnswer e) {
                    lost[0]++;
                    System.err.println(e.getMessage());
                }
            }
            for (int i = 0; i < WARMUP + CALLS; i++) {
                if (lost[0] > 3) {
                    break;
                }
                try {
                    long t0 = System.nanoTime();
                    rpc.call("query_decisions", Map.of("category", "cat-" + (i % 10), "limit", 20));
                    if (i >= WARMUP) {
                        query.add(System.nanoTime() - t0);
                    }
                } catch (Rpc.LostAnswer e) {
                    lost[0]++;
                    System.err.println(e.getMessage());
                }
            }
            for (int i = 0; i < WARMUP + CALLS; i++) {
                if (lost[0] > 3) {
                    break;
                }
                try {
                    long t0 = System.nanoTime();
                    rpc.call("status", Map.of());
                    if (i >= WARMUP) {
                        status.add(System.nanoTime() - t0);
                    }
                } catch (Rpc.LostAnswer e) {
                    lost[0]++;
                    System.err.println(e.getMessage());
                }
            }
            rssAfter = rpc.rssKb();
            Targets.put("pair", pair.medianMs());
        }
        env.report("## Round trips: one server, one client, sequential calls (" + CALLS + " measured after " + WARMUP
                + " warm-up each)\n\n"
                + "Launch: `" + l.shown(env.root) + "`. Times are from the client: JSON-RPC line written to answer"
                + " line read.\n\n"
                + "| call | median ms | p99 ms | max ms | calls |\n|---|---|---|---|---|\n"
                + "| acquire_lock (1 path) | " + acquire.cells() + " |\n"
                + "| release_lock (1 path) | " + release.cells() + " |\n"
                + "| acquire + release | " + pair.cells() + " |\n"
                + "| log_decision (fsynced; log grows to " + (WARMUP + CALLS) + ") | " + log.cells() + " |\n"
                + "| query_decisions category, limit 20 (of " + (WARMUP + CALLS) + ") | " + query.cells() + " |\n"
                + "| status (1 instance, 0 locks) | " + status.cells() + " |\n\n"
                + "Answers lost (no answer within " + Rpc.ANSWER_TIMEOUT_SECONDS + " s): " + lost[0] + ".\n\n"
                + "RSS of the server after these " + 4 * (WARMUP + CALLS) + " calls: " + rssAfter / 1024 + " MB.\n");
    }
}
