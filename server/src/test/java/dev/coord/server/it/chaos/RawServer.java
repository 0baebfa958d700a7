package dev.coord.server.it.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One real {@code coord.jar} process driven with raw JSON-RPC lines over its pipes. One reader thread completes a
 * future per request id, so a server that is stopped (SIGSTOP) or killed (SIGKILL) never wedges the caller: a call
 * waits at most its timeout, and the end of stdout fails every call in flight with {@link Gone}.
 */
public final class RawServer {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The server's stdout ended (it was killed or exited) before the answer came. */
    public static final class Gone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Gone(String message) {
            super(message);
        }
    }

    final Process process;
    final long pid;
    private final OutputStream in;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile boolean ended;

    private RawServer(Process process) {
        this.process = process;
        this.pid = process.pid();
        this.in = process.getOutputStream();
        Thread reader = new Thread(this::readLoop, "chaos-reader-" + pid);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -jar coord.jar} on {@code repo} with {@code env}, stderr appended to {@code stderrLog}. */
    static RawServer start(Path jar, Path repo, Map<String, String> env, Path stderrLog) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar", jar.toString()))
                .directory(repo.toFile());
        pb.environment().put("CLAUDE_PROJECT_DIR", repo.toString());
        pb.environment().put("COORD_LOG_LEVEL", "warn");
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        return new RawServer(pb.start());
    }

    private void readLoop() {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode msg;
                try {
                    msg = JSON.readTree(line);
                } catch (RuntimeException e) {
                    continue;
                }
                if (msg.has("id") && !msg.has("method")) {
                    CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asLong());
                    if (f != null) {
                        f.complete(msg);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        ended = true;
        for (Long id : pending.keySet()) {
            CompletableFuture<JsonNode> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(new Gone("server " + pid + " ended"));
            }
        }
    }

    /** Sends {@code initialize} and {@code notifications/initialized}. */
    void initialize(long timeoutMillis) {
        ObjectNode params = JSON.createObjectNode();
        params.put("protocolVersion", "2025-06-18");
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "coord-chaos").put("version", "1");
        request("initialize", params, timeoutMillis);
        ObjectNode note = JSON.createObjectNode();
        note.put("jsonrpc", "2.0");
        note.put("method", "notifications/initialized");
        send(note);
    }

    /**
     * Calls a tool and returns its result ({@code isError}, {@code structuredContent}, {@code content}).
     *
     * @throws Gone when the process ended first
     * @throws IllegalStateException on a JSON-RPC error or no answer within the timeout
     */
    JsonNode call(String tool, Object args, long timeoutMillis) {
        ObjectNode params = JSON.createObjectNode();
        params.put("name", tool);
        params.set("arguments", JSON.valueToTree(args));
        return request("tools/call", params, timeoutMillis);
    }

    /** Sends a tool call without waiting; the answer, if any, is dropped. */
    CompletableFuture<JsonNode> callAsync(String tool, Object args) {
        ObjectNode params = JSON.createObjectNode();
        params.put("name", tool);
        params.set("arguments", JSON.valueToTree(args));
        return send("tools/call", params);
    }

    private CompletableFuture<JsonNode> send(String method, JsonNode params) {
        long id = nextId.getAndIncrement();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode();
        msg.put("jsonrpc", "2.0");
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", params);
        if (ended) {
            pending.remove(id);
            f.completeExceptionally(new Gone("server " + pid + " ended"));
            return f;
        }
        try {
            send(msg);
        } catch (Gone e) {
            pending.remove(id);
            f.completeExceptionally(e);
        }
        return f;
    }

    private JsonNode request(String method, JsonNode params, long timeoutMillis) {
        CompletableFuture<JsonNode> f = send(method, params);
        JsonNode answer;
        try {
            answer = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Gone g) {
                throw g;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "no answer to " + method + " from server " + pid + " within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (answer.has("error")) {
            throw new IllegalStateException(method + " answered " + answer.get("error"));
        }
        return answer.get("result");
    }

    private synchronized void send(JsonNode msg) {
        try {
            in.write((JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new Gone("server " + pid + " stdin closed: " + e.getMessage());
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL; waits until the process is reaped. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP or SIGCONT through {@code kill(1)}. */
    void signal(String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + name + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes stdin (the end of the session) and waits for the exit; kills the process after {@code millis}. */
    void close(long millis) {
        try {
            in.close();
        } catch (IOException e) {
            // gone
        }
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
