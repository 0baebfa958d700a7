package dev.coord.server.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real Claude Code, headless, against a {@link FakeAnthropicApi}: {@code claude -p} with stream-json input and
 * output (so one session can be given several prompts), {@code bypassPermissions}, a fresh HOME, and an
 * environment built from scratch ({@code env -i}) that keeps every request on 127.0.0.1. The session's MCP servers
 * and hooks are those of the repository it runs in. {@link #close} kills the process tree.
 */
public final class ClaudeCode implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PINNED = "src/test/clients/node_modules/.bin/claude";

    /** The pinned Claude Code of {@code server/src/test/clients}, if {@code npm ci} installed it. */
    public static Optional<Path> binary() {
        String configured = System.getProperty("coord.claude", System.getenv("COORD_CLAUDE"));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        for (Path p : List.of(Path.of(PINNED), Path.of("server").resolve(PINNED))) {
            if (Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** What {@code claude --version} prints, e.g. {@code 2.1.337 (Claude Code)}. */
    public static String version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) ? out : "claude (version unknown)";
        } catch (IOException e) {
            return "claude (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "claude (version unknown)";
        }
    }

    /** How to run one session. */
    public record Options(
            Path binary, Path repo, Path home, String apiBaseUrl, UUID sessionId, Map<String, String> env) {}

    private final Process process;
    private final OutputStream stdin;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    public final UUID sessionId;

    private ClaudeCode(Process process, UUID sessionId) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.sessionId = sessionId;
        Thread out = new Thread(this::readStdout, "claude-stdout-" + sessionId);
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            stderr.add(line);
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                },
                "claude-stderr-" + sessionId);
        err.setDaemon(true);
        err.start();
    }

    /** The environment a session gets: nothing of this JVM's but PATH (with this JVM's java first). */
    static Map<String, String> environment(Options o) {
        Map<String, String> env = new LinkedHashMap<>();
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        env.put(
                "PATH",
                javaBin + ":" + Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin"));
        env.put("HOME", o.home().toString());
        env.put("LANG", "C.UTF-8");
        env.put("ANTHROPIC_BASE_URL", o.apiBaseUrl());
        env.put("ANTHROPIC_API_KEY", "sk-test-not-a-key");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        env.put("IS_SANDBOX", "1");
        env.put("NO_PROXY", "127.0.0.1,localhost");
        env.putAll(o.env());
        return env;
    }

    /** Starts a session in {@code o.repo()}; give it prompts with {@link #prompt}. */
    public static ClaudeCode start(Options o) throws IOException {
        Files.createDirectories(o.home());
        List<String> cmd = new ArrayList<>(List.of(
                o.binary().toString(),
                "-p",
                "--input-format",
                "stream-json",
                "--output-format",
                "stream-json",
                "--verbose",
                "--include-hook-events",
                "--permission-mode",
                "bypassPermissions",
                "--session-id",
                o.sessionId().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(o.repo().toFile());
        pb.environment().clear();
        pb.environment().putAll(environment(o));
        return new ClaudeCode(pb.start(), o.sessionId());
    }

    /** Sends one user prompt (the next turn of the conversation). */
    public void prompt(String text) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("type", "user");
        ObjectNode m = msg.putObject("message");
        m.put("role", "user");
        m.put("content", text);
        try {
            stdin.write((JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("claude is gone: " + diagnostics(), e);
        }
    }

    /** Waits for the {@code n}-th {@code result} event (1-based): the end of the n-th prompt's turn. */
    public JsonNode awaitResult(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                int seen = 0;
                for (JsonNode e : events) {
                    if ("result".equals(e.path("type").asString()) && ++seen == n) {
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && seen < n && drained)) {
                    throw new AssertionError("claude session " + sessionId + " produced " + seen + " of " + n
                            + " results within " + timeout + "\n" + diagnostics());
                }
                TimeUnit.NANOSECONDS.timedWait(events, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    /** Closes stdin (no more prompts) and waits for Claude Code to stop its MCP servers and exit. */
    public int finish(Duration timeout) throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError("claude session " + sessionId + " did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** Every stream-json event so far (init, assistant, user, hook events, result). */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    public List<JsonNode> hookResponses() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : events) {
            if ("hook_response".equals(e.path("subtype").asString())) {
                out.add(e);
            }
        }
        return out;
    }

    public String diagnostics() {
        StringBuilder sb = new StringBuilder("claude events:\n");
        for (JsonNode e : events) {
            String s = e.toString();
            sb.append("  ")
                    .append(s.length() > 600 ? s.substring(0, 600) + "..." : s)
                    .append('\n');
        }
        sb.append("claude stderr:\n");
        stderr.forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }

    public long pid() {
        return process.pid();
    }

    private volatile boolean drained;

    private void readStdout() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (RuntimeException e) {
                    stderr.add("(stdout, not JSON) " + line);
                    continue;
                }
                synchronized (events) {
                    events.add(node);
                    events.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        } finally {
            drained = true;
            synchronized (events) {
                events.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        ProcessHandle h = process.toHandle();
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
