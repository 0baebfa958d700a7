package dev.coord.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resident memory of one server: idle after start, and after a burst of calls, for several JVM option sets. */
final class Memory {
    private Memory() {}

    static final int RUNS = 3;
    /** Sessions running at once for the proportional figure. */
    static final int SESSIONS = 4;

    static void run(Env env) throws Exception {
        List<Launch> launches = new ArrayList<>();
        Launch server = Launch.server(env);
        launches.add(server);
        Launch mcp = Launch.fromMcpJson(env.root);
        if (!mcp.equals(server)) {
            launches.add(mcp);
        }
        List<String> fixed = new ArrayList<>(mcp.command());
        fixed.addAll(1, List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"));
        if (!mcp.command().contains("-XX:ArchiveRelocationMode=0")) {
            launches.add(new Launch("as in .mcp.json, archive mapped at its address", fixed));
        }
        launches.add(Launch.of("plain JDK 17", env.java(), List.of(), env.jar));
        StringBuilder md = new StringBuilder("## Memory: VmRSS of one server (median of " + RUNS + " processes)\n\n"
                + "Idle: 3 s after the first tools/list. Loaded: after 2,000 acquire + release pairs and 200"
                + " status calls. Anonymous: the pages no other process can share (what one more session adds; the"
                + " rest of RSS is the JVM's library and the class archives' clean pages, shared by every coord process"
                + " through the page cache).\n\n"
                + " Settled: the launcher's pick again 12 s after tools/list, when the JVM has handed freed C heap back"
                + " (the installed launcher's native trim every 5 s) and the server has run its idle collection.\n\n"
                + "| launch | idle RSS MB | idle anonymous MB | loaded RSS MB | command |\n|---|---|---|---|---|\n");
        for (Launch l : launches) {
            long[] idle = new long[RUNS];
            long[] loaded = new long[RUNS];
            long[] dirty = new long[RUNS];
            long[] settled = new long[RUNS];
            long[] settledAnon = new long[RUNS];
            for (int r = 0; r < RUNS; r++) {
                Path repo = env.newRepo("memory");
                try (Rpc rpc = l.spawn(repo, Map.of(), env.stderrLog)) {
                    rpc.initialize();
                    rpc.toolsList();
                    Thread.sleep(3000);
                    idle[r] = rpc.rssKb();
                    dirty[r] = rpc.anonKb();
                    if (l == server) {
                        Thread.sleep(9000);
                        settled[r] = rpc.rssKb();
                        settledAnon[r] = rpc.anonKb();
                    }
                    for (int i = 0; i < 2000; i++) {
                        List<String> p = List.of("src/f" + (i % 50) + ".txt");
                        rpc.call("acquire_lock", Map.of("paths", p));
                        rpc.call("release_lock", Map.of("paths", p));
                        if (i % 10 == 0) {
                            rpc.call("status", Map.of());
                        }
                    }
                    loaded[r] = rpc.rssKb();
                }
            }
            java.util.Arrays.sort(idle);
            java.util.Arrays.sort(loaded);
            java.util.Arrays.sort(dirty);
            java.util.Arrays.sort(settled);
            java.util.Arrays.sort(settledAnon);
            if (l == server) {
                Targets.put("rss.idle3", idle[RUNS / 2] / 1024.0);
                Targets.put("rss.idle", settled[RUNS / 2] / 1024.0);
                Targets.put("anon.idle", settledAnon[RUNS / 2] / 1024.0);
            }
            md.append("| ")
                    .append(l.name())
                    .append(" | ")
                    .append(idle[RUNS / 2] / 1024)
                    .append(" | ")
                    .append(dirty[RUNS / 2] / 1024)
                    .append(" | ")
                    .append(loaded[RUNS / 2] / 1024)
                    .append(" | `")
                    .append(l.shown(env.root))
                    .append("` |\n");
            if (l == server) {
                md.append("| ")
                        .append(l.name())
                        .append(", settled (12 s) | ")
                        .append(settled[RUNS / 2] / 1024)
                        .append(" | ")
                        .append(settledAnon[RUNS / 2] / 1024)
                        .append(" | | |\n");
            }
            System.err.println("memory " + l.name() + ": idle " + idle[RUNS / 2] / 1024 + " MB");
        }
        md.append(sessions(env, server));
        env.report(md.toString());
    }

    /** {@link #SESSIONS} servers at once, settled: RSS and PSS of each (median). */
    private static String sessions(Env env, Launch server) throws Exception {
        List<Rpc> rpcs = new ArrayList<>();
        long[] rss = new long[SESSIONS];
        long[] pss = new long[SESSIONS];
        try {
            for (int i = 0; i < SESSIONS; i++) {
                Rpc rpc = server.spawn(env.newRepo("sessions"), Map.of(), env.stderrLog);
                rpcs.add(rpc);
                rpc.initialize();
                rpc.toolsList();
            }
            Thread.sleep(12_000);
            for (int i = 0; i < SESSIONS; i++) {
                rss[i] = rpcs.get(i).rssKb();
                pss[i] = rpcs.get(i).pssKb();
            }
        } finally {
            for (Rpc rpc : rpcs) {
                rpc.close();
            }
        }
        java.util.Arrays.sort(rss);
        java.util.Arrays.sort(pss);
        Targets.put("pss.sessions", pss[SESSIONS / 2] / 1024.0);
        return "\n" + SESSIONS + " sessions at once (" + server.name() + ", settled): RSS " + rss[SESSIONS / 2] / 1024
                + " MB each, PSS (shared pages divided among the processes that map them) " + pss[SESSIONS / 2] / 1024
                + " MB each (medians).\n";
    }
}
