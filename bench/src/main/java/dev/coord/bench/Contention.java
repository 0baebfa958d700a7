package dev.coord.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** N server processes on one repository, one client thread each. */
final class Contention {
    private Contention() {}

    static final int[] PROCESSES = java.util.Arrays.stream(
                    System.getProperty("bench.processes", "1,2,4,8,16").split(","))
            .mapToInt(x -> Integer.parseInt(x.trim()))
            .toArray();
    static final long SECONDS = Long.getLong("bench.seconds", 5);
    static final int WAIT_SECONDS = 60;
    static final long WARMUP_SECONDS = Long.getLong("bench.warmup.seconds", 1);
    static final long SETTLE_MS = Long.getLong("bench.settle.ms", 4000);

    record Row(
            int processes,
            boolean hot,
            long calls,
            double seconds,
            Stats latency,
            int refused,
            String extra,
            int lost,
            long serverCpuMs) {
        /** Server CPU time (user + system, all processes) per call. */
        double cpuMsPerCall() {
            return calls == 0 ? Double.NaN : (double) serverCpuMs / calls;
        }

        double callsPerSecond() {
            return calls / seconds;
        }
    }

    static void run(Env env) throws Exception {
        Launch l = Launch.server(env);
        List<Row> rows = new ArrayList<>();
        for (int n : PROCESSES) {
            Path repo = env.newRepo("contention-" + n);
            List<Rpc> servers = start(l, repo, n, env);
            try {
                rows.add(load(servers, false));
                rows.add(load(servers, true));
            } finally {
                for (Rpc r : servers) {
                    r.close();
                }
            }
            System.err.println("contention " + n + " done");
        }
        StringBuilder md = new StringBuilder();
        md.append("## Contention: N server processes on one repository, one client each, ")
                .append(SECONDS)
                .append(" s per row\n\n");
        md.append("Each client loops acquire_lock + release_lock for ")
                .append(SECONDS)
                .append(" s. *Distinct*: every client its own paths. *Hot*: every client the same path, with ")
                .append("`wait_seconds: ")
                .append(WAIT_SECONDS)
                .append("`, released at once after the grant. Calls/s counts both calls; latency is per call ")
                .append(
                        "(for hot acquires it includes the wait). Server CPU ms per call: user + system time of all server processes"
                                + " during the row, divided by the calls: the cost that other load on the machine does not"
                                + " inflate. Launch: `" + l.shown(env.root) + "`.\n\n");
        md.append("| processes | paths | calls/s (aggregate) | median ms | p99 ms | max ms | calls | refused |"
                + " grants per client (min-max) | lost answers | server CPU ms per call |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            if (r.processes() == 8 && !r.hot()) {
                Targets.put("contention8", r.callsPerSecond());
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %.0f | %s | %d | %s | %d | %.2f |\n",
                    r.processes(),
                    r.hot() ? "hot" : "distinct",
                    r.callsPerSecond(),
                    r.latency().cells(),
                    r.refused(),
                    r.extra(),
                    r.lost(),
                    r.cpuMsPerCall()));
        }
        md.append("\n![latency and throughput vs processes](performance-contention.png)\n");
        env.report(md.toString());
        Plot.contention(rows, env.root.resolve("docs/performance-contention.png"));
    }

    static List<Rpc> start(Launch l, Path repo, int n, Env env) throws InterruptedException {
        List<Rpc> servers = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        ConcurrentLinkedQueue<Rpc> started = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                Rpc r = l.spawn(repo, Map.of(), env.stderrLog);
                r.initialize();
                r.toolsList();
                started.add(r);
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            t.join();
        }
        servers.addAll(started);
        if (servers.size() != n) {
            throw new IllegalStateException("only " + servers.size() + " of " + n + " servers started");
        }
        // let each server finish its start-up work (the background schema warm-up 2 s after serving) outside the
        // measured window, as a real session does long before its first lock call
        Thread.sleep(SETTLE_MS);
        return servers;
    }

    static Row load(List<Rpc> servers, boolean hot) throws InterruptedException {
        int n = servers.size();
        // warm-up, not measured: 1 s by default, which leaves each JVM still compiling when there are several
        runFor(servers, hot, WARMUP_SECONDS * 1_000_000_000L, new Stats[n], new int[n], new AtomicInteger());
        Stats[] lat = new Stats[n];
        int[] grants = new int[n];
        AtomicInteger refused = new AtomicInteger();
        long cpu0 = servers.stream().mapToLong(Rpc::cpuMs).sum();
        long t0 = System.nanoTime();
        runFor(servers, hot, SECONDS * 1_000_000_000L, lat, grants, refused);
        double secs = (System.nanoTime() - t0) / 1e9;
        long cpu = servers.stream().mapToLong(Rpc::cpuMs).sum() - cpu0;
        Stats all = new Stats();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < n; i++) {
            all.addAll(lat[i]);
            min = Math.min(min, grants[i]);
            max = Math.max(max, grants[i]);
        }
        return new Row(n, hot, all.count(), secs, all, refused.get(), min + "-" + max, lost.getAndSet(0), cpu);
    }

    private static final AtomicInteger lost = new AtomicInteger();

    private static void runFor(
            List<Rpc> servers, boolean hot, long nanos, Stats[] lat, int[] grants, AtomicInteger refused)
            throws InterruptedException {
        int n = servers.size();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int me = i;
            lat[me] = new Stats();
            Rpc rpc = servers.get(i);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = System.nanoTime() + nanos;
                int k = 0;
                int myLost = 0;
                while (System.nanoTime() < end && myLost <= 3) {
                    try {
                        String path = hot ? "hot/file.txt" : "p" + me + "/f" + (k++ % 20) + ".txt";
                        Map<String, Object> acq = hot
                                ? Map.of("paths", List.of(path), "wait_seconds", WAIT_SECONDS)
                                : Map.of("paths", List.of(path));
                        long a = System.nanoTime();
                        JsonNode r = rpc.callRaw("acquire_lock", acq);
                        long b = System.nanoTime();
                        lat[me].add(b - a);
                        if (r.path("isError").asBoolean(false)
                                || !r.path("structuredContent").path("acquired").asBoolean(false)) {
                            refused.incrementAndGet();
                            continue;
                        }
                        grants[me]++;
                        rpc.call("release_lock", Map.of("paths", List.of(path)));
                        lat[me].add(System.nanoTime() - b);
                    } catch (Rpc.LostAnswer e) {
                        myLost++;
                        lost.incrementAndGet();
                        System.err.println(e.getMessage());
                    }
                }
            });
            t.start();
            ts.add(t);
        }
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
    }
}
