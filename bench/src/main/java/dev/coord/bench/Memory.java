package dev.coord.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resident memory of one server: idle after start, and after a burst of calls, for several JVM option sets. */
final class Memory {
    private Memory() {}

    static final int RUNS = 3;

    static void run(Env env) throws Exception {
        List<Launch> launches = new ArrayList<>();
        launches.add(Launch.fromMcpJson(env.root));
        launches.add(Launch.of("plain JDK 17", env.java(), List.of(), env.jar));
        launches.add(Launch.of("JDK 17, .mcp.json options", env.java(), Launch.MCP_OPTS, env.jar));
        List<String> small = new ArrayList<>(Launch.MCP_OPTS);
        small.addAll(List.of("-Xmx64m", "-XX:ReservedCodeCacheSize=16m", "-XX:MaxMetaspaceSize=64m"));
        launches.add(Launch.of("options + -Xmx64m, code cache 16m", env.java(), small, env.jar));
        List<String> tiny = new ArrayList<>(small);
        tiny.addAll(List.of("-XX:CICompilerCount=1", "-XX:-UsePerfData", "-Xss256k"));
        launches.add(Launch.of("... + 1 compiler thread, no perf data, -Xss256k", env.java(), tiny, env.jar));
        StringBuilder md = new StringBuilder("## Memory: VmRSS of one server (median of " + RUNS + " processes)\n\n"
                + "Idle: 3 s after the first tools/list. Loaded: after 2,000 acquire + release pairs and 200"
                + " status calls.\n\n| launch | idle MB | loaded MB | command |\n|---|---|---|---|\n");
        for (Launch l : launches) {
            long[] idle = new long[RUNS];
            long[] loaded = new long[RUNS];
            for (int r = 0; r < RUNS; r++) {
                Path repo = env.newRepo("memory");
                try (Rpc rpc = l.spawn(repo, Map.of(), env.stderrLog)) {
                    rpc.initialize();
                    rpc.toolsList();
                    Thread.sleep(3000);
                    idle[r] = rpc.rssKb();
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
            md.append("| ")
                    .append(l.name())
                    .append(" | ")
                    .append(idle[RUNS / 2] / 1024)
                    .append(" | ")
                    .append(loaded[RUNS / 2] / 1024)
                    .append(" | `")
                    .append(l.shown(env.root))
                    .append("` |\n");
            System.err.println("memory " + l.name() + ": idle " + idle[RUNS / 2] / 1024 + " MB");
        }
        env.report(md.toString());
    }
}
