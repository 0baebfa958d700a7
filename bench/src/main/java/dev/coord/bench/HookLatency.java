package dev.coord.bench;

import dev.coord.server.it.ClaudeCode;
import dev.coord.server.it.FakeAnthropicApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Per-edit latency that coord's Claude Code hooks add, measured in real Claude Code (the pinned {@code claude} of
 * {@code server/src/test/clients}) against the scripted {@link FakeAnthropicApi}. Each session's model writes new
 * files one turn at a time. For every edit: <em>pre</em> = from the API having sent the {@code Write} tool_use to
 * the file's modification time (the tool running: everything PreToolUse costs lies in between), and <em>turn</em> =
 * from that send to the arrival of the next request (the whole edit, PostToolUse hooks included). Setups, each in
 * its own repository made by the real {@code coord install} + {@code coord init}: no hooks; {@code init --hooks}
 * (the mcp_tool hooks: PreToolUse on edits, PostToolUse, UserPromptSubmit); {@code init --hooks --legacy-hooks} (the
 * command hook {@code coord hook pre-edit}). Sessions of the setups alternate, so load from other processes spreads
 * over all of them. The server-side cost of one {@code hook} call is {@link HookCalls}'.
 */
final class HookLatency {
    private HookLatency() {}

    static final int EDITS = Integer.getInteger("bench.hook.edits", 20);
    static final int SESSIONS = Integer.getInteger("bench.hook.sessions", 4);
    static final int WARMUP = 2;
    /** PreToolUse hook runs seen in Claude Code's hook events, by setup and outcome: proof the hook ran. */
    static final Map<String, Integer> hooksRun = new java.util.TreeMap<>();

    record Setup(String name, Path repo) {}

    static void run(Env env) throws IOException, InterruptedException {
        Path claude = ClaudeCode.binary()
                .orElseThrow(() -> new IllegalStateException(
                        "Claude Code is not installed: run " + "npm ci --prefix server/src/test/clients first"));
        Path dataHome = env.work.resolve("xdg-data-" + System.currentTimeMillis());
        coord(env, env.work, dataHome, "install");
        List<Setup> setups = List.of(
                new Setup("no hooks", init(env, dataHome, "hooks-none")),
                new Setup("mcp_tool hooks (init --hooks)", init(env, dataHome, "hooks-mcp", "--hooks")),
                new Setup(
                        "command hook (init --hooks --legacy-hooks)",
                        init(env, dataHome, "hooks-legacy", "--hooks", "--legacy-hooks")));
        Map<String, Stats> pre = new LinkedHashMap<>();
        Map<String, Stats> turn = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
            for (int s = 0; s < SESSIONS; s++) {
                for (Setup setup : setups) {
                    pre.computeIfAbsent(setup.name(), k -> new Stats());
                    turn.computeIfAbsent(setup.name(), k -> new Stats());
                    try {
                        session(api, claude, setup, s, pre.get(setup.name()), turn.get(setup.name()));
                    } catch (RuntimeException | AssertionError e) {
                        failures.merge(setup.name(), e.getMessage(), (a, b) -> a + "; " + b);
                    }
                }
            }
            if (!api.problems.isEmpty()) {
                failures.put("fake API", String.join("; ", api.problems));
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("## Hook latency per edit in real Claude Code (")
                .append(ClaudeCode.version(claude))
                .append(")\n\n")
                .append(SESSIONS)
                .append(" sessions per setup, ")
                .append(EDITS / SESSIONS * SESSIONS)
                .append(" measured edits (the first ")
                .append(WARMUP)
                .append(" of each session not counted). pre = tool_use sent to the file written; turn = tool_use"
                        + " sent to the next model request.\n\n")
                .append("| setup | pre median | pre p90 | added (pre) | turn median | turn p90 | added (turn) | n |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        double basePre = pre.get(setups.get(0).name()).medianMs();
        double baseTurn = turn.get(setups.get(0).name()).medianMs();
        for (Setup setup : setups) {
            Stats p = pre.get(setup.name());
            Stats t = turn.get(setup.name());
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %d |%n",
                    setup.name(),
                    Stats.ms(p.medianMs()),
                    Stats.ms(p.quantileMs(0.9)),
                    signed(p.medianMs() - basePre),
                    Stats.ms(t.medianMs()),
                    Stats.ms(t.quantileMs(0.9)),
                    signed(t.medianMs() - baseTurn),
                    p.count()));
        }
        failures.forEach((k, v) ->
                md.append("\n**").append(k).append(" failed:** ").append(v).append('\n'));
        md.append("\nPreToolUse hook runs reported by Claude Code (setup, outcome: count): ")
                .append(hooksRun.isEmpty() ? "none" : hooksRun.toString())
                .append(".\n");
        env.report(md.toString());
    }

    private static String signed(double ms) {
        return Double.isNaN(ms) ? "-" : (ms >= 0 ? "+" : "") + Stats.ms(ms);
    }

    /** One session: WARMUP + EDITS / SESSIONS writes of new files, one per model turn. */
    private static void session(FakeAnthropicApi api, Path claude, Setup setup, int round, Stats pre, Stats turn)
            throws IOException, InterruptedException {
        String key = "bench-" + round + "-" + Math.abs(setup.name().hashCode());
        FakeAnthropicApi.Script script = api.script(key);
        int edits = WARMUP + EDITS / SESSIONS;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < edits; i++) {
            Path f = setup.repo().resolve("src/r" + round + "/f" + i + ".txt");
            files.add(f);
            script.tool("Write", Map.of("file_path", f.toString(), "content", "edit " + i + "\n"));
        }
        script.text("done");
        UUID id = UUID.randomUUID();
        Path home = setup.repo().resolveSibling(setup.repo().getFileName() + "-home-" + id);
        try (ClaudeCode c =
                ClaudeCode.start(new ClaudeCode.Options(claude, setup.repo(), home, api.baseUrl(), id, Map.of()))) {
            c.prompt("Write the files. " + FakeAnthropicApi.marker(key));
            c.awaitResult(1, Duration.ofSeconds(120));
            c.finish(Duration.ofSeconds(30));
            for (JsonNode e : c.hookResponses()) {
                if ("PreToolUse".equals(e.path("hook_event").asString())) {
                    hooksRun.merge(setup.name() + " " + e.path("outcome").asString(), 1, Integer::sum);
                }
            }
        }
        List<FakeAnthropicApi.Exchange> ex = script.exchanges();
        if (ex.size() != edits + 1) {
            throw new IllegalStateException(setup.name() + ": " + ex.size() + " requests for " + edits + " edits");
        }
        for (int i = WARMUP; i < edits; i++) {
            Instant sent = ex.get(i).answered();
            Instant written = Files.getLastModifiedTime(files.get(i)).toInstant();
            pre.add(Duration.between(sent, written).toNanos());
            turn.add(Duration.between(sent, ex.get(i + 1).received()).toNanos());
        }
    }

    private static Path init(Env env, Path dataHome, String name, String... args) {
        Path repo = env.newRepo(name);
        List<String> cmd = new ArrayList<>(List.of("init"));
        cmd.addAll(List.of(args));
        coord(env, repo, dataHome, cmd.toArray(String[]::new));
        try {
            Files.createDirectories(repo.resolve("src"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repo;
    }

    /** The built jar's CLI, with coord installed under {@code dataHome} (init refuses a jar in a build folder). */
    private static void coord(Env env, Path dir, Path dataHome, String... args) {
        List<String> cmd = new ArrayList<>(List.of(env.java(), "-jar", env.jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("CLAUDE_") || k.startsWith("COORD_"));
        pb.environment().put("XDG_DATA_HOME", dataHome.toString());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("coord " + String.join(" ", args) + " failed in " + dir + ": " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
