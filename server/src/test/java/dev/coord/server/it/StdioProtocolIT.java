package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    static final JsonMapper JSON = RawStdio.JSON;

    @TempDir
    Path repo;

    RawStdio server;

    @AfterEach
    void kill() {
        if (server != null) {
            server.close();
        }
    }

    private OutputStream start() throws Exception {
        server = RawStdio.start(repo, java.util.Map.of());
        return server.in;
    }

    @Test
    void badLinesGetErrorsAndTheSessionGoesOn() throws Exception {
        OutputStream in = start();
        server.initialize();
        server.send("this is not json");
        JsonNode parseError = server.next();
        assertThat(parseError.path("error").path("code").asInt()).isEqualTo(-32700);
        server.send("");
        server.send("{}");
        assertThat(server.next().path("error").path("code").asInt()).isEqualTo(-32600);
        server.send("[{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}]");
        assertThat(server.next().path("error").path("code").asInt()).isEqualTo(-32600);
        server.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        JsonNode list = server.next();
        assertThat(list.path("id").asInt()).isEqualTo(2);
        assertThat(list.path("result").path("tools").size()).isEqualTo(11);
        server.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"acquire_lock\","
                + "\"arguments\":{\"paths\":[\"../../etc/passwd\"]}}}");
        JsonNode refused = server.next();
        assertThat(refused.path("result").path("isError").asBoolean()).isTrue();
        server.send(
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"status\",\"arguments\":{}}}");
        JsonNode status = server.next();
        assertThat(status.path("result")
                        .path("structuredContent")
                        .path("you")
                        .path("instance_id")
                        .asString())
                .startsWith("claude-");

        in.close();
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS))
                .as("exits after end of stdin")
                .isTrue();
        assertThat(server.process.exitValue()).isZero();
        server.assertStdoutIsJsonRpcOnly();
        String registry = Files.readString(repo.resolve(".claude/coordination/registry.json"));
        assertThat(JSON.readTree(registry).path("instances").size())
                .as(registry)
                .isZero();
    }

    @Test
    void requestsSentJustBeforeEndOfStdinAreStillAnswered() throws Exception {
        OutputStream in = start();
        server.initialize();
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
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        java.util.Set<Integer> answered = new java.util.TreeSet<>();
        JsonNode m;
        while ((m = server.messages.poll(1, TimeUnit.SECONDS)) != null) {
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
        server.initialize();
        server.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"acquire_lock\","
                + "\"arguments\":{\"paths\":[\"a.txt\"]}}}");
        assertThat(server.next()
                        .path("result")
                        .path("structuredContent")
                        .path("acquired")
                        .asBoolean())
                .isTrue();
        server.process.destroy();
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // Process.destroy() also closes the child's stdin: the end-of-input path may exit (0) before the signal's
        // shutdown does (143); either way the session must have released and unregistered
        assertThat(server.process.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
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
