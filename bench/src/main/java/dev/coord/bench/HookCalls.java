package dev.coord.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * Server-side cost of the calls Claude Code's mcp_tool hooks make to the {@code hook} tool, one server, one client,
 * calls in sequence: the edit guard on a free file (takes an edit claim: one store transaction), the guard on a file
 * the session already claims (renews it), a tool use with nothing due (PostToolUse: a read without the store's mutex)
 * and a prompt (UserPromptSubmit: always reaches the store). The session holds one lock throughout.
 */
final class HookCalls {
    private HookCalls() {}

    static void run(Env env) {
        Launch l = Launch.server(env);
        Path repo = env.newRepo("hookcalls");
        int calls = RoundTrip.CALLS;
        int warmup = RoundTrip.WARMUP;
        Stats claim = new Stats();
        Stats renew = new Stats();
        Stats post = new Stats();
        Stats prompt = new Stats();
        double claimCpu;
        double activityCpu;
        try (Rpc rpc = l.spawn(repo, Map.of(), env.stderrLog)) {
            rpc.initialize();
            rpc.toolsList();
            rpc.call("acquire_lock", Map.of("paths", java.util.List.of("held.txt")));
            for (int i = 0; i < warmup + calls; i++) {
                String file = "src/g" + i + ".txt";
                long t0 = System.nanoTime();
                rpc.call("hook", Map.of("event", "PreToolUse", "tool_name", "Write", "file_path", file));
                long t1 = System.nanoTime();
                rpc.call("hook", Map.of("event", "PreToolUse", "tool_name", "Edit", "file_path", file));
                long t2 = System.nanoTime();
                rpc.call("hook", Map.of("event", "PostToolUse", "tool_name", "Edit"));
                long t3 = System.nanoTime();
                if (i % 10 == 0) {
                    rpc.call("hook", Map.of("event", "UserPromptSubmit"));
                }
                long t4 = System.nanoTime();
                // one claim at a time, as one session editing file after file and releasing as it goes
                rpc.call("release_lock", Map.of("paths", java.util.List.of(file)));
                if (i >= warmup) {
                    claim.add(t1 - t0);
                    renew.add(t2 - t1);
                    post.add(t3 - t2);
                    if (i % 10 == 0) {
                        prompt.add(t4 - t3);
                    }
                }
            }
            // Server CPU per call, one kind of call at a time (10 ms ticks: enough calls for a few hundred ticks)
            int n = Math.max(calls, 500);
            long c0 = rpc.cpuMs();
            for (int i = 0; i < n; i++) {
                rpc.call("hook", Map.of("event", "PostToolUse", "tool_name", "Read"));
            }
            long c1 = rpc.cpuMs();
            for (int i = 0; i < n; i++) {
                // a claim and its release, as in the latency loop (claims left in place would grow the lock table)
                rpc.call(
                        "hook", Map.of("event", "PreToolUse", "tool_name", "Write", "file_path", "cpu/c" + i + ".txt"));
                rpc.call("release_lock", Map.of("paths", java.util.List.of("cpu/c" + i + ".txt")));
            }
            long c2 = rpc.cpuMs();
            activityCpu = (double) (c1 - c0) / n;
            claimCpu = (double) (c2 - c1) / n;
        }
        Targets.put("hook.claim", claim.medianMs());
        Targets.put("hook.renew", renew.medianMs());
        Targets.put("hook.activity", post.medianMs());
        Targets.put("hook.claim.cpu", claimCpu);
        Targets.put("hook.activity.cpu", activityCpu);
        Targets.put("preedit.mcp", claim.medianMs());
        String commandRows = commandHook(env, repo, l);
        env.report("## Hook calls: the `hook` tool as Claude Code's mcp_tool hooks call it (" + calls
                + " measured after " + warmup + " warm-up each)\n\n"
                + "Launch: `" + l.shown(env.root) + "`. Times are from the client: JSON-RPC line written to answer"
                + " line read. The session holds one lock.\n\n"
                + "| hook call | median ms | p99 ms | max ms | calls |\n|---|---|---|---|---|\n"
                + "| PreToolUse guard, free file (takes an edit claim) | " + claim.cells() + " |\n"
                + "| PreToolUse guard, file already claimed (renews) | " + renew.cells() + " |\n"
                + "| PostToolUse, nothing due (activity, no write) | " + post.cells() + " |\n"
                + "| UserPromptSubmit (renews, news) | " + prompt.cells() + " |\n\n"
                + String.format(
                        java.util.Locale.ROOT,
                        "Server CPU per call (user + system of the server over %d calls of one kind, 10 ms ticks):"
                                + " activity (PostToolUse) %.3f ms; edit guard on a free file (new claim) and its release_lock %.3f ms"
                                + " the pair. The server-side time of a call is at most its client round trip above."
                                + "%n%n",
                        Math.max(calls, 500),
                        activityCpu,
                        claimCpu)
                + "### The pre-edit path both ways, same repository, same minutes\n\n"
                + "| how | wall median ms | p99 ms | max ms | runs | CPU ms per edit (median) | command |\n"
                + "|---|---|---|---|---|---|---|\n"
                + "| mcp_tool hook: a `hook` call to the running server (free file) | " + claim.cells()
                + " | " + Stats.ms(claimCpu)
                + " (server, with its release) | `tools/call hook {event: PreToolUse, ...}` |\n"
                + commandRows);
    }

    static final int COMMAND_RUNS = Integer.getInteger("bench.hook.runs", 10);

    /**
     * The legacy command hook: one JVM per edit ({@code hook pre-edit}, the hook input on stdin) in the same
     * repository while the session's server still runs, as init --legacy-hooks writes it (java on PATH, the hook
     * options, the AppCDS archive beside the built jar) and through the installed launcher.
     */
    private static String commandHook(Env env, Path repo, Launch server) {
        java.util.List<String> legacy = new java.util.ArrayList<>(
                java.util.List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        Path jsa = env.root.resolve("server/target/coord.jsa");
        if (java.nio.file.Files.isRegularFile(jsa)) {
            legacy.addAll(java.util.List.of(
                    "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:SharedArchiveFile=" + jsa, "-Xshare:auto"));
        }
        legacy.addAll(java.util.List.of("-jar", env.jar.toString(), "hook", "pre-edit"));
        StringBuilder rows = new StringBuilder();
        boolean first = true;
        for (java.util.List<String> cmd : java.util.List.of(
                legacy,
                server.command().size() == 1
                        ? java.util.List.of(server.command().get(0), "hook", "pre-edit")
                        : java.util.List.<String>of())) {
            if (cmd.isEmpty()) {
                continue;
            }
            Stats wall = new Stats();
            Stats cpu = new Stats();
            for (int i = 0; i < COMMAND_RUNS + 2; i++) {
                String input = "{\"session_id\":\"bench\",\"cwd\":\"" + repo
                        + "\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\","
                        + "\"tool_input\":{\"file_path\":\"" + repo.resolve("cmd/h" + i + ".txt") + "\"}}";
                try {
                    // bash runs the hook and then reports its child's CPU (the builtin times): a JVM that
                    // has exited can no longer be read in /proc
                    Path times = env.work.resolve("hook-times.txt");
                    java.util.List<String> wrapped = new java.util.ArrayList<>(java.util.List.of(
                            "bash", "-c", "\"$@\"; rc=$?; times > \"$BENCH_TIMES\"; exit $rc", "hook"));
                    wrapped.addAll(cmd);
                    ProcessBuilder pb = new ProcessBuilder(wrapped);
                    pb.environment().put("BENCH_TIMES", times.toString());
                    long t0 = System.nanoTime();
                    Process p = pb.directory(repo.toFile())
                            .redirectError(ProcessBuilder.Redirect.appendTo(env.stderrLog.toFile()))
                            .start();
                    try (var in = p.getOutputStream()) {
                        in.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    p.getInputStream().readAllBytes();
                    int rc = p.waitFor();
                    long t1 = System.nanoTime();
                    long cpuMs = childCpuMs(times);
                    if (rc != 0) {
                        throw new IllegalStateException("hook pre-edit exited " + rc + ": " + cmd);
                    }
                    if (i >= 2) {
                        wall.add(t1 - t0);
                        if (cpuMs >= 0) {
                            cpu.add(cpuMs * 1_000_000);
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (first) {
                Targets.put("preedit.command", wall.medianMs());
                Targets.put("preedit.command.cpu", cpu.medianMs());
                first = false;
            }
            rows.append("| command hook: one JVM per edit (")
                    .append(cmd.size() == 3 ? "installed launcher" : "java on PATH, hook options, AppCDS")
                    .append(") | ")
                    .append(wall.cells())
                    .append(" | ")
                    .append(Stats.ms(cpu.medianMs()))
                    .append(" | `")
                    .append(String.join(" ", cmd).replace(env.root + "/", ""))
                    .append("` |\n");
        }
        return rows.toString();
    }

    /** The second line of bash's {@code times}: user and system time of its children, e.g. {@code 0m0.412s 0m0.061s}. */
    private static long childCpuMs(Path times) {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(times);
            long ms = 0;
            for (String t : lines.get(1).trim().split("\\s+")) {
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("(\\d+)m([\\d.]+)s").matcher(t);
                if (!m.matches()) {
                    return -1;
                }
                ms += Long.parseLong(m.group(1)) * 60_000 + Math.round(Double.parseDouble(m.group(2)) * 1000);
            }
            return ms;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
