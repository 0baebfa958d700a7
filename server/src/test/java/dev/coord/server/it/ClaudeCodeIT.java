package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * coord as real Claude Code uses it: headless {@code claude -p} sessions (the pinned Claude Code of {@code
 * src/test/clients}) in a repository set up by the real {@code coord init}, against a scripted model on 127.0.0.1.
 * Each scenario asserts on the files on disk, on coord's state ({@code coord status --json}) and on what the model
 * was sent back. Without the pinned claude the tests skip loudly, and fail when {@code COORD_REQUIRE_CLIENTS=true}.
 */
class ClaudeCodeIT {
    static final Duration TURN = Duration.ofSeconds(60);
    static Path claude;
    static FakeAnthropicApi api;

    @TempDir
    Path tmp;

    final List<ClaudeCode> sessions = new ArrayList<>();

    @BeforeAll
    static void claudeAndApi() throws Exception {
        claude = ClaudeCode.binary().orElse(null);
        if (claude == null) {
            String msg = "Claude Code is not installed: run `npm ci --prefix server/src/test/clients`. "
                    + "SKIPPING the real Claude Code scenarios of ClaudeCodeIT.";
            if ("true".equals(System.getenv("COORD_REQUIRE_CLIENTS"))) {
                throw new AssertionError(msg.replace("SKIPPING", "COORD_REQUIRE_CLIENTS=true forbids skipping"));
            }
            System.err.println("!!!!! " + msg);
            Assumptions.abort(msg);
        }
        api = FakeAnthropicApi.start();
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @BeforeEach
    void noProblemsYet() {
        api.problems.clear();
    }

    @AfterEach
    void killSessions() {
        sessions.forEach(ClaudeCode::close);
        assertThat(api.problems).as("fake API problems").isEmpty();
    }

    ClaudeCode session(ClaudeRepo repo, Map<String, String> env) throws Exception {
        ClaudeCode s = repo.session(api, env);
        sessions.add(s);
        return s;
    }

    static String key(String name) {
        return name + "-" + Long.toHexString(System.nanoTime());
    }

    static JsonNode only(List<JsonNode> results) {
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    static String text(JsonNode toolResult) {
        JsonNode content = toolResult.path("content");
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : content) {
            sb.append(block.path("text").asString());
        }
        return sb.toString();
    }

    /** Scenario 5: the model calls coord's tools and gets their results and their error texts. */
    @Test
    void theModelCallsCoordsToolsAndGetsResultsAndErrors() throws Exception {
        ClaudeRepo repo = ClaudeRepo.create(tmp, CoordProcess.jar(), claude, "--hooks");
        Files.createDirectories(repo.dir.resolve("src"));
        String k = key("tools");
        CountDownLatch checked = new CountDownLatch(1);
        FakeAnthropicApi.Script script = api.script(k)
                .tool("mcp__coord__register_instance", Map.of("task", "Implement the parser", "role", "backend"))
                .tool("mcp__coord__acquire_lock", Map.of("paths", List.of("src/parser.txt"), "reason", "parser"))
                .tool("mcp__coord__acquire_lock", Map.of("paths", List.of("../outside.txt")))
                .tool("mcp__coord__log_decision", Map.of("category", "api", "title", "", "description", "d"))
                .after(checked)
                .text("done");

        ClaudeCode a = session(repo, Map.of());
        a.prompt("Work on the parser. " + FakeAnthropicApi.marker(k));

        JsonNode turn1 = script.awaitTurn(1, TURN);
        JsonNode registered = lastToolResult(turn1);
        assertThat(registered.path("is_error").asBoolean(false)).isFalse();
        assertThat(text(registered)).contains("\"instance_id\"").contains("Implement the parser");

        JsonNode turn2 = script.awaitTurn(2, TURN);
        JsonNode acquired = lastToolResult(turn2);
        assertThat(acquired.path("is_error").asBoolean(false)).isFalse();
        assertThat(text(acquired)).contains("\"acquired\":true").contains("src/parser.txt");

        JsonNode turn3 = script.awaitTurn(3, TURN);
        JsonNode outside = lastToolResult(turn3);
        assertThat(outside.path("is_error").asBoolean()).isTrue();
        assertThat(text(outside)).contains("INVALID_PATH").contains("outside");

        JsonNode turn4 = script.awaitTurn(4, TURN);
        JsonNode badDecision = lastToolResult(turn4);
        assertThat(badDecision.path("is_error").asBoolean()).isTrue();
        assertThat(text(badDecision)).contains("INVALID_ARGUMENT").contains("title");

        // while the session is still open, the CLI sees its instance and its lock
        JsonNode status = repo.status();
        String instanceId = textField(text(registered), "instance_id");
        assertThat(status.path("instances").toString()).contains(instanceId).contains("Implement the parser");
        assertThat(status.path("locks").toString()).contains("src/parser.txt").contains(instanceId);
        checked.countDown();

        assertThat(a.awaitResult(1, TURN).path("result").asString()).isEqualTo("done");
        assertThat(a.finish(TURN)).isZero();
        // the session's end stops its server, which releases what it held
        repo.awaitStatus(s -> !s.path("locks").toString().contains("src/parser.txt"), TURN, "the lock released");
    }

    static JsonNode lastToolResult(JsonNode request) {
        JsonNode messages = request.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        List<JsonNode> results = new ArrayList<>();
        for (JsonNode block : last.path("content")) {
            if ("tool_result".equals(block.path("type").asString())) {
                results.add(block);
            }
        }
        return only(results);
    }

    static String textField(String json, String field) {
        return tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(json)
                .path(field)
                .asString();
    }
}
