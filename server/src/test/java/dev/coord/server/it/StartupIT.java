package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real jar answers {@code initialize} and {@code tools/list} before its store is open, and every call waits for
 * the store and this session's registration. The store is kept from opening by holding its cross-process mutex
 * ({@code coord.lock}) in this JVM, as another session inside a long transaction would.
 */
class StartupIT {
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

    private Path stateDir() {
        return repo.resolve(".claude/coordination");
    }

    /** Holds the store's mutex the way a process inside a transaction does. */
    private FileLock holdTheMutex() throws Exception {
        Files.createDirectories(stateDir());
        FileChannel ch =
                FileChannel.open(stateDir().resolve("coord.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return ch.lock();
    }

    private OutputStream start(Map<String, String> env) throws Exception {
        Map<String, String> all =
                new java.util.HashMap<>(Map.of("COORD_STATE_DIR", stateDir().toString()));
        all.putAll(env);
        server = RawStdio.start(repo, all);
        return server.in;
    }

    private static String call(int id, String tool, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + arguments + "}}";
    }

    private JsonNode registry() throws Exception {
        return JSON.readTree(Files.readString(stateDir().resolve("registry.json")));
    }

    private String stderr() throws Exception {
        return Files.readString(repo.resolve("stderr.log"));
    }

    @Test
    void theToolListComesBeforeTheStoreAndTheFirstCallsWaitForIt() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/B.java"), "class B {}\n");
        FileLock mutex = holdTheMutex();
        OutputStream in;
        try {
            in = start(Map.of());
            server.initialize();
            server.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            JsonNode list = server.next();
            assertThat(list.path("result").path("tools").size()).isEqualTo(11);
            // the edit hook first, as Claude Code sends it, then a tool call: both must wait for the registration
            server.send(call(
                    3,
                    "hook",
                    "{\"event\":\"PreToolUse\",\"tool_name\":\"Edit\",\"file_path\":\"" + repo.resolve("src/B.java")
                            + "\"}"));
            server.send(call(4, "acquire_lock", "{\"paths\":[\"src/A.java\"]}"));
            assertThat(server.messages.poll(500, TimeUnit.MILLISECONDS))
                    .as("no call is answered while the store cannot be opened")
                    .isNull();
            assertThat(Files.exists(stateDir().resolve("registry.json")))
                    .as("nothing registered yet")
                    .isFalse();
        } finally {
            mutex.release();
            mutex.channel().close();
        }
        List<JsonNode> answers = List.of(server.next(), server.next());
        JsonNode hook = answers.stream()
                .filter(a -> a.path("id").asInt() == 3)
                .findFirst()
                .orElseThrow();
        JsonNode acquire = answers.stream()
                .filter(a -> a.path("id").asInt() == 4)
                .findFirst()
                .orElseThrow();
        assertThat(hook.path("result").path("isError").asBoolean())
                .as(hook.toString())
                .isFalse();
        assertThat(acquire.path("result").path("isError").asBoolean())
                .as(acquire.toString())
                .isFalse();
        JsonNode granted = acquire.path("result").path("structuredContent");
        assertThat(granted.path("acquired").asBoolean()).as(granted.toString()).isTrue();
        assertThat(granted.path("locks").get(0).path("path").asString()).isEqualTo("src/A.java");

        // the session is registered and holds both: the hook's edit claim and the lock
        JsonNode instances = registry().path("instances");
        assertThat(instances.size()).as(instances.toString()).isEqualTo(1);
        String locks = Files.readString(stateDir().resolve("locks.json"));
        assertThat(locks).contains("src/A.java").contains("src/B.java");

        in.close();
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS))
                .as("exits after end of stdin")
                .isTrue();
        assertThat(server.process.exitValue()).as(stderr()).isZero();
        server.assertStdoutIsJsonRpcOnly();
        assertThat(registry().path("instances").size()).as("unregistered").isZero();
        assertThat(Files.readString(stateDir().resolve("locks.json")))
                .as("released")
                .doesNotContain("src/A.java")
                .doesNotContain("src/B.java");
    }

    @Test
    void stdinClosingWhileTheStoreOpensEndsCleanly() throws Exception {
        FileLock mutex = holdTheMutex();
        try {
            OutputStream in = start(Map.of());
            server.initialize();
            server.send(call(2, "status", "{}"));
            in.close();
            assertThat(server.process.waitFor(300, TimeUnit.MILLISECONDS))
                    .as("the end of stdin waits for the open and the call already received")
                    .isFalse();
        } finally {
            mutex.release();
            mutex.channel().close();
        }
        JsonNode status = server.next();
        assertThat(status.path("id").asInt()).isEqualTo(2);
        assertThat(status.path("result")
                        .path("structuredContent")
                        .path("you")
                        .path("instance_id")
                        .asString())
                .as(status.toString())
                .startsWith("claude-");
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).as("exits").isTrue();
        assertThat(server.process.exitValue()).as(stderr()).isZero();
        server.assertStdoutIsJsonRpcOnly();
        assertThat(server.stdout()).hasSize(2); // initialize and status, nothing else
        assertThat(registry().path("instances").size()).as("unregistered").isZero();
    }

    @Test
    void stdinClosedBeforeAnythingWhileTheStoreOpensExitsZeroAndSilent() throws Exception {
        FileLock mutex = holdTheMutex();
        try {
            OutputStream in = start(Map.of());
            in.close();
        } finally {
            mutex.release();
            mutex.channel().close();
        }
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).as("exits").isTrue();
        assertThat(server.process.exitValue()).as(stderr()).isZero();
        assertThat(server.stdout()).isEmpty();
        assertThat(registry().path("instances").size()).as("unregistered").isZero();
    }

    @Test
    void aStateThatCannotBeOpenedEndsTheServerWithItsReason() throws Exception {
        Path file = Files.writeString(repo.resolve("plain"), "x");
        OutputStream in = start(Map.of("COORD_STATE_DIR", file.resolve("state").toString()));
        try {
            // initialize and a call may or may not be answered before the open fails; stdin stays open
            server.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            server.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            server.send(call(2, "status", "{}"));
        } catch (java.io.IOException e) {
            // the server already exited: the pipe is closed
        }
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS))
                .as("exits although stdin is still open")
                .isTrue();
        assertThat(server.process.exitValue()).as(stderr()).isEqualTo(3);
        assertThat(stderr()).contains("not a directory: " + file + " is a regular file");
        assertThat(stderr()).as("said once, without a stack trace").doesNotContain("Exception");
        server.awaitEndOfStdout(10_000); // the last lines are read
        server.assertStdoutIsJsonRpcOnly();
        for (String line : server.stdout()) {
            JsonNode msg = JSON.readTree(line);
            if (msg.path("id").asInt() == 2) {
                assertThat(msg.path("result").path("isError").asBoolean()).isTrue();
                assertThat(msg.path("result")
                                .path("content")
                                .get(0)
                                .path("text")
                                .asString())
                        .startsWith("STORE_UNAVAILABLE: coord could not start")
                        .contains("is a regular file");
            }
        }
    }

    @Test
    void aStateThatCannotBeOpenedWithStdinAlreadyClosedSaysWhyOnceAndExits3() throws Exception {
        Path file = Files.writeString(repo.resolve("plain"), "x");
        OutputStream in = start(Map.of("COORD_STATE_DIR", file.resolve("state").toString()));
        in.close();
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).as("exits").isTrue();
        assertThat(server.process.exitValue()).as(stderr()).isEqualTo(3);
        server.awaitEndOfStdout(10_000);
        assertThat(server.stdout()).isEmpty();
        String err = stderr();
        assertThat(err).doesNotContain("Exception");
        assertThat(err.split("is a regular file", -1)).as(err).hasSize(2); // said once
    }
}
