package dev.coord.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a dashboard costs the sessions: acquire + release round trips of one server while a second server idles,
 * without a dashboard, with a dashboard and no page, and with one page connected to its live feed; the dashboard's
 * CPU time in each phase, and what the page received.
 */
final class Dashboard {
    private Dashboard() {}

    static final int CALLS = Integer.getInteger("bench.calls", 2000);
    static final int WARMUP = 200;

    static void run(Env env) throws Exception {
        Launch l = Launch.server(env);
        Path repo = env.newRepo("dashboard");
        List<String> rows = new ArrayList<>();
        try (Rpc rpc = l.spawn(repo, Map.of(), env.stderrLog);
                Rpc other = l.spawn(repo, Map.of(), env.stderrLog)) {
            rpc.initialize();
            other.initialize();
            other.call("register_instance", Map.of("task", "idle peer"));
            rpc.call("register_instance", Map.of("task", "measured"));
            pairs(rpc, WARMUP);
            rows.add(row("no dashboard", pairs(rpc, CALLS), "-", "-"));
            Process dash = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            env.jar.toString(),
                            "dashboard",
                            "--port",
                            "0")
                    .directory(repo.toFile())
                    .redirectError(env.stderrLog.toFile())
                    .start();
            try {
                String url = new BufferedReader(new InputStreamReader(dash.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                URI u = URI.create(url);
                String cookie =
                        "coord_dashboard_" + u.getPort() + "=" + u.getQuery().substring(6);
                Thread.sleep(2000); // let it finish starting before its CPU time is read
                long cpu0 = cpuMs(dash.pid());
                long t0 = System.nanoTime();
                Stats idle = pairs(rpc, CALLS);
                rows.add(row("dashboard, no page", idle, cpuPerSecond(dash.pid(), cpu0, t0), "-"));

                AtomicLong events = new AtomicLong();
                AtomicLong bytes = new AtomicLong();
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<InputStream> sse = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + u.getPort() + "/events"))
                                .header("Cookie", cookie)
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                Thread reader = new Thread(() -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            if (line.startsWith("data: ")) {
                                events.incrementAndGet();
                                bytes.addAndGet(line.length());
                            }
                        }
                    } catch (IOException ignored) {
                        // closed at the end
                    }
                });
                reader.setDaemon(true);
                reader.start();
                Thread.sleep(1000);
                long e0 = events.get();
                long b0 = bytes.get();
                cpu0 = cpuMs(dash.pid());
                t0 = System.nanoTime();
                Stats page = pairs(rpc, CALLS);
                double secs = (System.nanoTime() - t0) / 1e9;
                String cpu = cpuPerSecond(dash.pid(), cpu0, t0);
                rows.add(row(
                        "dashboard, one page connected",
                        page,
                        cpu,
                        String.format(
                                Locale.ROOT,
                                "%.1f events/s, %.1f KB/s",
                                (events.get() - e0) / secs,
                                (bytes.get() - b0) / secs / 1024)));
                // The page with nothing happening: what an idle, connected page costs.
                long ie0 = events.get();
                long ib0 = bytes.get();
                cpu0 = cpuMs(dash.pid());
                t0 = System.nanoTime();
                Thread.sleep(10_000);
                secs = (System.nanoTime() - t0) / 1e9;
                rows.add("| page connected, sessions idle (10 s) | - | - | - | - | "
                        + cpuPerSecond(dash.pid(), cpu0, t0) + " | "
                        + String.format(
                                Locale.ROOT,
                                "%.1f events/s, %.1f KB/s",
                                (events.get() - ie0) / secs,
                                (bytes.get() - ib0) / secs / 1024)
                        + " |");
            } finally {
                dash.destroy();
                dash.waitFor(10, TimeUnit.SECONDS);
            }
        }
        env.report("## Dashboard: what it costs the sessions (" + CALLS + " acquire + release pairs per row)\n\n"
                + "One server measured, one idle peer, `coord dashboard` on the same repository (file store). The"
                + " dashboard polls every 300 ms only while a page is connected. CPU is the dashboard process's"
                + " user + system time per second of wall time.\n\n"
                + "| phase | median ms | p99 ms | max ms | pairs | dashboard CPU ms/s | pushed to the page |\n"
                + "|---|---|---|---|---|---|---|\n"
                + String.join("\n", rows) + "\n");
    }

    private static String row(String phase, Stats s, String cpu, String pushed) {
        return "| " + phase + " | " + s.cells() + " | " + cpu + " | " + pushed + " |";
    }

    private static Stats pairs(Rpc rpc, int n) {
        Stats s = new Stats();
        for (int i = 0; i < n; i++) {
            List<String> p = List.of("src/f" + (i % 50) + ".txt");
            long t0 = System.nanoTime();
            rpc.call("acquire_lock", Map.of("paths", p));
            rpc.call("release_lock", Map.of("paths", p));
            s.add(System.nanoTime() - t0);
        }
        return s;
    }

    private static String cpuPerSecond(long pid, long cpu0, long t0) {
        double secs = (System.nanoTime() - t0) / 1e9;
        return String.format(Locale.ROOT, "%.1f", (cpuMs(pid) - cpu0) / secs);
    }

    static long cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
