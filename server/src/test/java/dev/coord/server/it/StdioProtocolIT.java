package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Raw bytes on the wire: stdout carries JSON-RPC only, bad lines get an error and the session goes on, end of stdin
 * releases and unregisters before the process exits, and so does SIGTERM.
 */
class StdioProtocolIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path repo;

    Process process;
    final List<String> stdout = new ArrayList<>();
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private OutputStream start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                CoordProcess.java(), "-jar", CoordProcess.jar().toString());
        pb.environment().put("CLAUDE_PROJECT_DIR", repo.toString());
        pb.redirectError(repo.resolve("stderr.log").toFile());
        process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stdout) {
                        stdout.add(line);
                    }
                    messages.add(JSON.readTree(line));
                }
            } catch (Exception e) {
                messages.add(JSON.createObjectNode().put("reader_failed", e.toString()));
            }
        });
        reader.setDaemon(true);
        reader.start();
        return process.getOutputStream();
    }

    private static void send(OutputStream in, String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private JsonNode next() throws InterruptedException {
        JsonNode n = messages.poll(30, TimeUnit.SECONDS);
        assertThat(n).as("no answer from the server").isNotNull();
        return n;
    }

    private void initialize(OutputStream in) throws Exception {
        send(
                in,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        JsonNode init = next();
        assertThat(init.path("result").path("serverInfo").path("name").asString())
                .isEqualTo("coord");
        send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    @Test
    void badLinesGetErrorsAndTheSessionGoesOn() throws Exception {
        OutputStream in = start();
        initialize(in);
        send(in, "this is not json");
        JsonNode parseError = next();
        assertThat(parseError.path("error").path("code").asInt()).isEqualTo(-32700);
        send(in, "");
        send(in, "{}");
        assertThat(next().path("error").path("code").asInt()).isEqualTo(-32600);
        send(in, "[{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}]");
        assertThat(next().path("error").path("code").asInt()).isEqualTo(-32600);
        send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        JsonNode list = next();
        assertThat(list.path("id").asInt()).isEqualTo(2);
        assertThat(list.path("result").path("tools").size()).isEqualTo(11);
        send(
                in,
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"acquire_lock\","
                        + "\"arguments\":{\"paths\":[\"../../etc/passwd\"]}}}");
        JsonNode refused = next();
        assertThat(refused.path("result").path("isError").asBoolean()).isTrue();
        send(
                in,
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"status\",\"arguments\":{}}}");
        JsonNode status = next();
        assertThat(status.path("result")
                        .path("structuredContent")
                        .path("you")
                        .path("instance_id")
                        .asString())
                .startsWith("claude-");

        in.close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("exits after end of stdin")
                .isTrue();
        assertThat(process.exitValue()).isZero();
        synchronized (stdout) {
            for (String line : stdout) {
                JsonNode msg = JSON.readTree(line);
                assertThat(msg.isObject()).as(line).isTrue();
                assertThat(msg.path("jsonrpc").asString()).as(line).isEqualTo("2.0");
            }
        }
        String registry = Files.readString(repo.resolve(".claude/coordination/registry.json"));
        assertThat(JSON.readTree(registry).path("instances").size())
                .as(registry)
                .isZero();
    }

    @Test
    void requestsSentJustBeforeEndOfStdinAreStillAnswered() throws Exception {
        OutputStream in = start();
        initialize(in);
        int n = 20;
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < n; i++) {
            burst.append("{\"jsonrpc\":\"2.0\",\"id\":")
                    .append(100 + i)
                    .append(",\"method\":\"tools/call\",\"params\":{\"name\":\"acquire_lock\",\"arguments\":")
                    .append("{\"paths\":[\"f")
                    .append(i)
                    .append("\"]}}}\n");
        }
        in.write(burst.toString().getBytes(StandardCharsets.UTF_8));
        in.close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        java.util.Set<Integer> answered = new java.util.TreeSet<>();
        JsonNode m;
        while ((m = messages.poll(1, TimeUnit.SECONDS)) != null) {
            assertThat(m.path("result")
                            .path("structuredContent")
                            .path("acquired")
                            .asBoolean())
                    .as(m.toString())
                    .isTrue();
            answered.add(m.path("id").asInt());
        }
        assertThat(answered).hasSize(n);
        JsonNode locks = JSON.readTree(Files.readString(repo.resolve(".claude/coordination/locks.json")));
        assertThat(locks.path("locks").size()).as("released at exit").isZero();
    }

    @Test
    void sigtermReleasesAndUnregisters() throws Exception {
        OutputStream in = start();
        initialize(in);
        send(
                in,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"acquire_lock\","
                        + "\"arguments\":{\"paths\":[\"a.txt\"]}}}");
        assertThat(next().path("result")
                        .path("structuredContent")
                        .path("acquired")
                        .asBoolean())
                .isTrue();
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // Process.destroy() also closes the child's stdin: the end-of-input path may exit (0) before the signal's
        // shutdown does (143); either way the session must have released and unregistered
        assertThat(process.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
        JsonNode locks = JSON.readTree(Files.readString(repo.resolve(".claude/coordination/locks.json")));
        assertThat(locks.path("locks").size())
                .as(
                        "locks after SIGTERM; server stderr:%n%s%naudit:%n%s",
                        Files.readString(repo.resolve("stderr.log")),
                        Files.readString(repo.resolve(".claude/coordination/audit.jsonl")))
                .isZero();
        JsonNode registry = JSON.readTree(Files.readString(repo.resolve(".claude/coordination/registry.json")));
        assertThat(registry.path("instances").size())
                .as(
                        "registry after SIGTERM: %s%naudit:%n%s",
                        registry, Files.readString(repo.resolve(".claude/coordination/audit.jsonl")))
                .isZero();
    }
}
