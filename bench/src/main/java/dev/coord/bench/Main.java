package dev.coord.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark driver. {@code java -jar bench/target/coord-bench.jar SCENARIO...} from the project root, after
 * {@code ./mvnw -B -q package -DskipTests}; {@code bench/run.sh} does both. Scenarios: {@code startup},
 * {@code roundtrip}, {@code contention}, {@code scale}, {@code memory}, {@code floor}, {@code worktrees} (the git radar's cost), {@code dashboard}, {@code all} (every one of
 * these), {@code hooks} (per-edit latency of the Claude Code hooks in real Claude Code; needs {@code npm ci --prefix
 * server/src/test/clients}) and {@code jmh [JMH options]}. Results are printed as Markdown and appended to
 * {@code bench/target/results.md}; {@code contention} also draws {@code docs/performance-contention.png}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(
                    "usage: coord-bench (startup|roundtrip|contention|scale|bounded|memory|floor|hookcalls|hooks|worktrees|dashboard|targets|all)..."
                            + " | jmh [opts]");
            System.exit(2);
        }
        if (args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Env env = Env.detect();
        List<String> scenarios = new ArrayList<>(Arrays.asList(args));
        if (scenarios.contains("all")) {
            scenarios = List.of(
                    "floor",
                    "startup",
                    "roundtrip",
                    "contention",
                    "scale",
                    "bounded",
                    "memory",
                    "hookcalls",
                    "worktrees",
                    "dashboard",
                    "targets");
        } else if (scenarios.equals(List.of("targets"))) {
            // the figures the targets name, with short settings (about 5 minutes on a quiet machine)
            System.setProperty("bench.processes", System.getProperty("bench.processes", "8"));
            System.setProperty("bench.startup.runs", System.getProperty("bench.startup.runs", "10"));
            System.setProperty("bench.calls", System.getProperty("bench.calls", "1000"));
            scenarios = List.of("startup", "roundtrip", "hookcalls", "memory", "bounded", "contention", "targets");
        }
        env.report("# coord benchmarks, " + Instant.now() + "\n\n" + env.machine());
        for (String s : scenarios) {
            env.report("<!-- " + s + ": " + Env.load() + " -->");
            try {
                switch (s) {
                    case "floor" -> Floor.run(env);
                    case "startup" -> Startup.run(env);
                    case "roundtrip" -> RoundTrip.run(env);
                    case "contention" -> Contention.run(env);
                    case "scale" -> Scale.run(env);
                    case "bounded" -> Scale.bounded(env);
                    case "memory" -> Memory.run(env);
                    case "dashboard" -> Dashboard.run(env);
                    case "hookcalls" -> HookCalls.run(env);
                    case "hooks" -> HookLatency.run(env);
                    case "worktrees" -> Worktrees.run(env);
                    case "targets" -> Targets.report(env);
                    default -> throw new IllegalArgumentException("unknown scenario " + s);
                }
            } catch (RuntimeException e) {
                e.printStackTrace();
                env.report("**Scenario " + s + " failed:** " + e + "\n");
            }
        }
        env.report("Servers that did not exit within 15 s after their stdin closed (killed by the driver): "
                + Rpc.lostExits.get() + ".\n");
        System.exit(0);
    }
}
