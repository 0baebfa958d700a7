package dev.coord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cold starts: spawn to the {@code initialize} answer and to the first {@code tools/list} answer. */
final class Startup {
    private Startup() {}

    static final int RUNS = Integer.getInteger("bench.startup.runs", 20);

    static void run(Env env) throws IOException {
        List<Launch> launches = launches(env);
        StringBuilder md = new StringBuilder();
        md.append("## Start-up: spawn to first answers (")
                .append(RUNS)
                .append(" cold starts each, after 2 discarded; the launches alternate)\n\n")
                .append("CPU ms: user + system time of the server process at the tools/list answer (10 ms ticks),")
                .append(" which other load on the machine does not inflate.\n\n");
        md.append(
                "| launch | to `initialize` median | to `tools/list` median | p99 | max | runs | CPU ms median | command |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        Path repo = env.newRepo("startup");
        // The floor: the bare JVM, no jar.
        Stats bare = new Stats();
        for (int i = 0; i < RUNS + 2; i++) {
            long t0 = System.nanoTime();
            try {
                Process p = new ProcessBuilder(env.java(), "-Xshare:auto", "-version")
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (i >= 2) {
                bare.add(System.nanoTime() - t0);
            }
        }
        md.append("| floor: `java -version` (JDK 17, default CDS) | | ")
                .append(Stats.ms(bare.medianMs()))
                .append(" | ")
                .append(Stats.ms(bare.p99Ms()))
                .append(" | ")
                .append(Stats.ms(bare.maxMs()))
                .append(" | ")
                .append(bare.count())
                .append(" | | `java -version` |\n");
        // The runs alternate between the launches (one start of each, then again), so that every row sees the same
        // minutes of the machine's load: rows measured one after the other differed by up to 2x under shared load.
        Map<Launch, Stats[]> stats = new java.util.LinkedHashMap<>();
        for (Launch l : launches) {
            stats.put(l, new Stats[] {new Stats(), new Stats(), new Stats()});
        }
        for (int i = 0; i < RUNS + 2; i++) {
            for (Launch l : launches) {
                Stats[] s = stats.get(l);
                long t0 = System.nanoTime();
                try (Rpc rpc = l.spawn(repo, Map.of(), env.stderrLog)) {
                    rpc.initialize();
                    long t1 = System.nanoTime();
                    rpc.toolsList();
                    long t2 = System.nanoTime();
                    long cpuMs = rpc.cpuMs();
                    if (i >= 2) {
                        s[2].add(cpuMs * 1_000_000);
                        s[0].add(t1 - t0);
                        s[1].add(t2 - t0);
                    }
                }
            }
        }
        for (Launch l : launches) {
            Stats init = stats.get(l)[0];
            Stats list = stats.get(l)[1];
            Stats cpu = stats.get(l)[2];
            md.append("| ")
                    .append(l.name())
                    .append(" | ")
                    .append(Stats.ms(init.medianMs()))
                    .append(" | ")
                    .append(list.cells())
                    .append(" | ")
                    .append(Stats.ms(cpu.medianMs()))
                    .append(" | `")
                    .append(l.shown(env.root))
                    .append("` |\n");
            if (l.equals(Launch.server(env)) && !l.name().equals("as in .mcp.json")) {
                Targets.put("startup.installed", list.medianMs());
                Targets.put("startup.installed.cpu", cpu.medianMs());
            } else if (l.name().equals("as in .mcp.json")) {
                Targets.put("startup.jdk17cds", list.medianMs());
                Targets.put("startup.jdk17cds.cpu", cpu.medianMs());
            }
            System.err.println("startup " + l.name() + ": " + Stats.ms(list.medianMs()) + " ms");
        }
        env.report(md.toString());
    }

    static List<Launch> launches(Env env) throws IOException {
        List<Launch> out = new ArrayList<>();
        Launch server = Launch.server(env);
        Launch mcp = Launch.fromMcpJson(env.root);
        if (!server.equals(mcp)) {
            out.add(server);
        }
        out.add(mcp);
        out.add(Launch.of("plain JDK 17", env.java(), List.of(), env.jar));
        out.add(Launch.of("JDK 17, .mcp.json options", env.java(), Launch.MCP_OPTS, env.jar));
        Path jsa = env.work.resolve("coord-bench.jsa");
        Files.deleteIfExists(jsa);
        List<String> dump = new ArrayList<>(Launch.MCP_OPTS);
        dump.add("-XX:ArchiveClassesAtExit=" + jsa);
        train(env, Launch.of("dump", env.java(), dump, env.jar));
        if (Files.isRegularFile(jsa)) {
            List<String> use = new ArrayList<>(Launch.MCP_OPTS);
            use.add("-XX:SharedArchiveFile=" + jsa);
            use.add("-Xshare:auto");
            out.add(Launch.of("JDK 17, options + AppCDS", env.java(), use, env.jar));
        }
        if (Files.isExecutable(Path.of(Launch.JDK25))) {
            out.add(Launch.of("Temurin 25, options", Launch.JDK25, Launch.MCP_OPTS, env.jar));
            Path aot = env.work.resolve("coord-bench.aot");
            Files.deleteIfExists(aot);
            List<String> record = new ArrayList<>(Launch.MCP_OPTS);
            record.add("-XX:AOTCacheOutput=" + aot);
            train(env, Launch.of("aot", Launch.JDK25, record, env.jar));
            if (Files.isRegularFile(aot)) {
                List<String> use = new ArrayList<>(Launch.MCP_OPTS);
                use.add("-XX:AOTCache=" + aot);
                out.add(Launch.of("Temurin 25, options + AOT cache", Launch.JDK25, use, env.jar));
            }
        }
        return out;
    }

    /** A short scripted session: the classes a real session loads. */
    static void train(Env env, Launch l) {
        Path repo = env.newRepo("train");
        try (Rpc rpc = l.spawn(repo, Map.of(), env.stderrLog)) {
            rpc.initialize();
            rpc.toolsList();
            rpc.call("status", Map.of());
            rpc.call("acquire_lock", Map.of("paths", List.of("src/A.java")));
            rpc.call("release_lock", Map.of("paths", List.of("src/A.java")));
            rpc.call(
                    "log_decision",
                    Map.of("category", "bench", "title", "training", "description", "a training decision"));
            rpc.call("query_decisions", Map.of("category", "bench"));
        }
    }
}
