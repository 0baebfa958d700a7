package dev.coord.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One real server process driven over its stdio with raw JSON-RPC lines, as Claude Code does: one client per server
 * process. Calls are synchronous (one request in flight); a client is used by one thread at a time.
 */
final class Rpc implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    final Process process;
    private final OutputStream in;
    private final BufferedReader out;
    private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
    /** How long a request waits for its answer before it counts as lost. */
    static final long ANSWER_TIMEOUT_SECONDS = 30;

    private long nextId = 1;
    /** Servers that did not exit after the end of their stdin. */
    static final java.util.concurrent.atomic.AtomicInteger lostExits = new java.util.concurrent.atomic.AtomicInteger();

    /** Bytes of the last answer line. */
    int lastBytes;

    private Rpc(Process process) {
        this.process = process;
        this.in = process.getOutputStream();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(
                () -> {
                    try {
                        String l;
                        while ((l = out.readLine()) != null) {
                            lines.add(l);
                        }
                    } catch (IOException e) {
                        // process gone
                    }
                    lines.add(EOF);
                },
                "rpc-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private static final String EOF = "\u0000EOF";

    /** A request whose answer never came (the server dropped it or hung). */
    static final class LostAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostAnswer(String message) {
            super(message);
        }
    }

    /** Spawns {@code command} in {@code repo} with its stderr appended to {@code stderrLog}. */
    static Rpc spawn(List<String> command, Path repo, Map<String, String> env, Path stderrLog) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
        pb.environment().put("CLAUDE_PROJECT_DIR", repo.toString());
        pb.environment().put("COORD_LOG_LEVEL", "warn");
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        try {
            return new Rpc(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code initialize}, waits for the answer, then sends {@code notifications/initialized}. */
    JsonNode initialize() {
        ObjectNode params = JSON.createObjectNode();
        params.put("protocolVersion", "2025-06-18");
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "coord-bench").put("version", "1");
        JsonNode r = request("initialize", params);
        notify("notifications/initialized");
        return r;
    }

    JsonNode toolsList() {
        return request("tools/list", JSON.createObjectNode());
    }

    /** Calls a tool and returns its structured content; throws if the call failed or the tool reported an error. */
    JsonNode call(String tool, Object args) {
        JsonNode result = callRaw(tool, args);
        if (result.path("isError").asBoolean(false)) {
            throw new IllegalStateException(tool + " failed: " + result.path("content"));
        }
        return result.path("structuredContent");
    }

    /** Calls a tool and returns the whole result, errors included. */
    JsonNode callRaw(String tool, Object args) {
        ObjectNode params = JSON.createObjectNode();
        params.put("name", tool);
        params.set("arguments", JSON.valueToTree(args));
        return request("tools/call", params);
    }

    JsonNode request(String method, JsonNode params) {
        long id = nextId++;
        ObjectNode msg = JSON.createObjectNode();
        msg.put("jsonrpc", "2.0");
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", params);
        send(msg);
        while (true) {
            String line;
            try {
                line = lines.poll(ANSWER_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (line == null) {
                throw new LostAnswer("no answer to " + method + " #" + id + " from server " + process.pid() + " within "
                        + ANSWER_TIMEOUT_SECONDS + " s");
            }
            if (line.equals(EOF)) {
                lines.add(EOF);
                throw new IllegalStateException("server " + process.pid() + " closed stdout during " + method);
            }
            JsonNode answer = JSON.readTree(line);
            if (answer.has("id") && answer.get("id").asLong() == id && !answer.has("method")) {
                if (answer.has("error")) {
                    throw new IllegalStateException(method + " answered " + answer.get("error"));
                }
                lastBytes = line.length();
                return answer.get("result");
            }
        }
    }

    void notify(String method) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("jsonrpc", "2.0");
        msg.put("method", method);
        send(msg);
    }

    private void send(JsonNode msg) {
        try {
            in.write((JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resident set size in KB from /proc, or -1. */
    long rssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Anonymous resident memory in KB ({@code RssAnon} of /proc status): heap, stacks, malloc, and the class-archive
     * pages the JVM patched (copied on write). No other process can share it: what one more session adds at least; or
     * -1. (Private_Dirty would also count the clean-to-be pages of an archive file written moments ago and not yet
     * written back, e.g. right after {@code coord install}.)
     */
    long anonKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (l.startsWith("RssAnon:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Proportional set size: resident pages, each shared page divided by the number of processes mapping it (what the
     * process costs when several coord sessions share the JVM's library and the class archive), or -1.
     */
    long pssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "smaps_rollup"))) {
                if (l.startsWith("Pss:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time (user + system) the process has used so far, in milliseconds, or -1. */
    long cpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat(5), counted from after the command name: indexes 11 and 12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Closes stdin (the end of the session) and waits for the process to exit. */
    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                System.err.println("server " + process.pid() + " did not exit within 15 s of stdin closing; killed");
                lostExits.incrementAndGet();
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
