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
    /** coord installed once for the class ({@code coord install} under a scratch XDG_DATA_HOME), as init requires. */
    static ClaudeRepo.Installed installed;

    @TempDir
    static Path share;

    @TempDir
    Path tmp;

    final List<ClaudeCode> sessions = new ArrayList<>();
    final List<FakeAnthropicApi.Script> scripts = new ArrayList<>();

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
        installed = ClaudeRepo.install(CoordProcess.jar(), share);
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
        for (FakeAnthropicApi.Script s : scripts) {
            assertThat(s.problems).as("problems of the scripted session").isEmpty();
        }
    }

    ClaudeCode session(ClaudeRepo repo, Map<String, String> env) throws Exception {
        ClaudeCode s = repo.session(api, env);
        sessions.add(s);
        return s;
    }

    FakeAnthropicApi.Script script(String key) {
        FakeAnthropicApi.Script s = api.script(key);
        scripts.add(s);
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
        ClaudeRepo repo = ClaudeRepo.create(tmp, installed, claude, "--hooks");
        Files.createDirectories(repo.dir.resolve("src"));
        String k = key("tools");
        CountDownLatch checked = new CountDownLatch(1);
        FakeAnthropicApi.Script script = script(k)
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

    /** Scenario 1: B's edit of the file A is editing is warned by default, and refused with COORD_ENFORCE=deny. */
    @Test
    void anEditOfAnotherSessionsFileIsWarnedOrDenied() throws Exception {
        ClaudeRepo repo = hookedRepo();
        Path file = repo.dir.resolve("src/a.txt");
        String ka = key("A");
        CountDownLatch bDone = new CountDownLatch(1);
        FakeAnthropicApi.Script a = script(ka)
                .tool("mcp__coord__register_instance", Map.of("task", "Write the a-module"))
                .tool("Write", Map.of("file_path", file.toString(), "content", "A's content\n"))
                .after(bDone)
                .text("A done");
        ClaudeCode sa = session(repo, Map.of());
        sa.prompt("Write src/a.txt. " + FakeAnthropicApi.marker(ka));
        String aId = textField(text(lastToolResult(a.awaitTurn(1, TURN))), "instance_id");
        assertThat(lastToolResult(a.awaitTurn(2, TURN)).path("is_error").asBoolean(false))
                .isFalse();
        assertThat(Files.readString(file)).isEqualTo("A's content\n");

        JsonNode status = repo.status();
        JsonNode claim = lockOn(status, "src/a.txt");
        assertThat(claim.path("holder").asString()).isEqualTo(aId);
        assertThat(claim.path("holder_task").asString()).as("%s", status).isEqualTo("Write the a-module");
        assertThat(claim.path("auto").asBoolean())
                .as("an edit claim, not a lock: %s", claim)
                .isTrue();

        // B with COORD_ENFORCE=deny: refused, the file keeps A's content, B's model is told who and why
        String kb = key("Bdeny");
        FakeAnthropicApi.Script b = script(kb)
                .tool("Read", Map.of("file_path", file.toString()))
                .tool("Edit", Map.of("file_path", file.toString(), "old_string", "A's", "new_string", "B's"))
                .text("B stopped");
        ClaudeCode sb = session(repo, Map.of("COORD_ENFORCE", "deny"));
        sb.prompt("Change src/a.txt. " + FakeAnthropicApi.marker(kb));
        JsonNode denied = lastToolResult(b.awaitTurn(2, TURN));
        assertThat(denied.path("is_error").asBoolean()).as("%s", denied).isTrue();
        assertThat(text(denied)).contains(aId).contains("Write the a-module").contains("src/a.txt");
        sb.awaitResult(1, TURN);
        assertThat(sb.finish(TURN)).isZero();
        assertThat(Files.readString(file)).isEqualTo("A's content\n");
        assertThat(lockOn(repo.status(), "src/a.txt").path("holder").asString()).isEqualTo(aId);

        // B by default (warn): the edit goes ahead and B's model is warned, naming A
        String kw = key("Bwarn");
        FakeAnthropicApi.Script w = script(kw)
                .tool("Read", Map.of("file_path", file.toString()))
                .tool("Edit", Map.of("file_path", file.toString(), "old_string", "A's", "new_string", "B's"))
                .text("B edited");
        ClaudeCode sw = session(repo, Map.of());
        sw.prompt("Change src/a.txt. " + FakeAnthropicApi.marker(kw));
        JsonNode warnedRequest = w.awaitTurn(2, TURN);
        JsonNode edited = lastToolResult(warnedRequest);
        assertThat(edited.path("is_error").asBoolean(false)).as("%s", edited).isFalse();
        String sentBack = lastMessage(warnedRequest);
        assertThat(sentBack)
                .contains("PreToolUse:Edit hook additional context")
                .contains(aId)
                .contains("src/a.txt");
        sw.awaitResult(1, TURN);
        assertThat(sw.finish(TURN)).isZero();
        assertThat(Files.readString(file)).isEqualTo("B's content\n");
        // the warned session did not take A's claim
        assertThat(lockOn(repo.status(), "src/a.txt").path("holder").asString()).isEqualTo(aId);

        bDone.countDown();
        sa.awaitResult(1, TURN);
        assertThat(sa.finish(TURN)).isZero();
    }

    /** Scenario 2: a Bash command longer than the lease does not cost A its claim; once A has ended, B edits. */
    @Test
    void aLongCommandKeepsTheClaimAndTheEndOfTheSessionFreesIt() throws Exception {
        ClaudeRepo repo = hookedRepo();
        Map<String, String> shortLeases = Map.of("COORD_LOCK_TTL", "10s", "COORD_EDIT_CLAIM_IDLE", "60s");
        Path file = repo.dir.resolve("src/b.txt");
        String ka = key("A");
        CountDownLatch checked = new CountDownLatch(1);
        FakeAnthropicApi.Script a = script(ka)
                .tool("mcp__coord__register_instance", Map.of("task", "Long build"))
                .tool("Write", Map.of("file_path", file.toString(), "content", "A's content\n"))
                .tool("Bash", Map.of("command", "sleep 13", "description", "a long build"))
                .after(checked)
                .text("A done");
        ClaudeCode sa = session(repo, shortLeases);
        sa.prompt("Build. " + FakeAnthropicApi.marker(ka));
        String aId = textField(text(lastToolResult(a.awaitTurn(1, TURN))), "instance_id");
        a.awaitTurn(2, TURN);
        JsonNode before = lockOn(repo.status(), "src/b.txt");
        assertThat(before.path("holder").asString()).isEqualTo(aId);

        a.awaitTurn(3, TURN); // the 13 s command is over: longer than the 10 s lease
        JsonNode after = lockOn(repo.status(), "src/b.txt");
        assertThat(after.path("holder").asString()).isEqualTo(aId);
        assertThat(after.path("token").asLong())
                .as("the same claim, not a new one")
                .isEqualTo(before.path("token").asLong());
        assertThat(java.time.Instant.parse(after.path("expires_at").asString())).isAfter(java.time.Instant.now());

        String kd = key("Bdenied");
        FakeAnthropicApi.Script d = script(kd)
                .tool("Read", Map.of("file_path", file.toString()))
                .tool("Edit", Map.of("file_path", file.toString(), "old_string", "A's", "new_string", "B's"))
                .text("B stopped");
        ClaudeCode sd = session(repo, Map.of("COORD_ENFORCE", "deny"));
        sd.prompt("Change src/b.txt. " + FakeAnthropicApi.marker(kd));
        assertThat(lastToolResult(d.awaitTurn(2, TURN)).path("is_error").asBoolean())
                .isTrue();
        sd.awaitResult(1, TURN);
        assertThat(sd.finish(TURN)).isZero();
        assertThat(Files.readString(file)).isEqualTo("A's content\n");

        checked.countDown();
        sa.awaitResult(1, TURN);
        assertThat(sa.finish(TURN)).isZero();
        repo.awaitStatus(s -> !s.path("locks").toString().contains("src/b.txt"), TURN, "A's claim ended");

        String kb = key("Bfree");
        FakeAnthropicApi.Script b = script(kb)
                .tool("Read", Map.of("file_path", file.toString()))
                .tool("Edit", Map.of("file_path", file.toString(), "old_string", "A's", "new_string", "B's"))
                .text("B edited");
        ClaudeCode sb = session(repo, Map.of("COORD_ENFORCE", "deny"));
        sb.prompt("Change src/b.txt. " + FakeAnthropicApi.marker(kb));
        JsonNode freeRequest = b.awaitTurn(2, TURN);
        assertThat(lastToolResult(freeRequest).path("is_error").asBoolean(false))
                .isFalse();
        assertThat(lastMessage(freeRequest)).doesNotContain(aId);
        sb.awaitResult(1, TURN);
        assertThat(sb.finish(TURN)).isZero();
        assertThat(Files.readString(file)).isEqualTo("B's content\n");
    }

    /** Scenario 3: on its next prompt B hears that A force-released B's lock and that the lock B wanted is free. */
    @Test
    void theNextPromptTellsOfAForcedReleaseAndOfAFreedLock() throws Exception {
        ClaudeRepo repo = hookedRepo();
        String ka = key("A");
        String kb = key("B");
        CountDownLatch bAsked = new CountDownLatch(1);
        FakeAnthropicApi.Script a = script(ka)
                .tool("mcp__coord__register_instance", Map.of("task", "Refactor the d-module"))
                .tool("mcp__coord__acquire_lock", Map.of("paths", List.of("src/d.txt")))
                .after(bAsked)
                .tool(
                        "mcp__coord__release_lock",
                        Map.of("paths", List.of("src/c.txt"), "force", true, "reason", "B went quiet"))
                .tool("mcp__coord__release_lock", Map.of("paths", List.of("src/d.txt")))
                .text("A done");
        FakeAnthropicApi.Script b = script(kb)
                .tool("mcp__coord__register_instance", Map.of("task", "Write the c-module"))
                .tool("mcp__coord__acquire_lock", Map.of("paths", List.of("src/c.txt")))
                .tool("mcp__coord__acquire_lock", Map.of("paths", List.of("src/d.txt")))
                .text("B waits for src/d.txt")
                .text("B continues");
        ClaudeCode sa = session(repo, Map.of());
        sa.prompt("Refactor. " + FakeAnthropicApi.marker(ka));
        String aId = textField(text(lastToolResult(a.awaitTurn(1, TURN))), "instance_id");
        a.awaitTurn(2, TURN);

        ClaudeCode sb = session(repo, Map.of());
        sb.prompt("Write the c-module. " + FakeAnthropicApi.marker(kb));
        JsonNode conflict = lastToolResult(b.awaitTurn(3, TURN));
        assertThat(text(conflict)).contains("\"acquired\":false").contains(aId);
        sb.awaitResult(1, TURN);

        bAsked.countDown();
        sa.awaitResult(1, TURN);
        assertThat(repo.status().path("locks").toString())
                .doesNotContain("src/c.txt")
                .doesNotContain("src/d.txt");

        sb.prompt("Go on.");
        String news = lastMessage(b.awaitTurn(4, TURN));
        assertThat(news).contains("UserPromptSubmit hook additional context");
        assertThat(news).contains("src/c.txt").containsIgnoringCase("force").contains("B went quiet");
        assertThat(news).contains("src/d.txt").containsIgnoringCase("free");
        assertThat(sb.awaitResult(2, TURN).path("result").asString()).isEqualTo("B continues");
        assertThat(sb.finish(TURN)).isZero();
        assertThat(sa.finish(TURN)).isZero();
    }

    /**
     * A message another session sends reaches this session's model on its next prompt (the UserPromptSubmit hook's
     * context: who, role, task, subject, marked as not the user's instructions), and read_messages gives the body with
     * its control characters stripped.
     */
    @Test
    void aMessageFromAnotherSessionReachesTheModelOnItsNextPrompt() throws Exception {
        ClaudeRepo repo = hookedRepo();
        String kb = key("B");
        FakeAnthropicApi.Script b = script(kb)
                .tool("mcp__coord__register_instance", Map.of("task", "Write the login page", "role", "frontend"))
                .text("B registered")
                .tool("mcp__coord__read_messages", Map.of())
                .text("B read it");
        ClaudeCode sb = session(repo, Map.of());
        sb.prompt("Register. " + FakeAnthropicApi.marker(kb));
        String bId = textField(text(lastToolResult(b.awaitTurn(1, TURN))), "instance_id");
        sb.awaitResult(1, TURN);
        try (CoordProcess a = new CoordProcess(repo.dir, Map.of())) {
            String aId = (String) a.ok("register_instance", Map.of("task", "auth API", "role", "backend"))
                    .get("instance_id");
            Map<String, Object> sent = a.ok(
                    "send_message",
                    Map.of("to", "frontend", "subject", "login API moved", "body", "POST /v2/login now\u001b[2J"));
            assertThat(sent.toString()).contains(bId);

            sb.prompt("Go on.");
            String news = lastMessage(b.awaitTurn(2, TURN));
            assertThat(news)
                    .contains("UserPromptSubmit hook additional context")
                    .contains("1 unread message; newest from session " + aId + " (backend, auth API): login API moved")
                    .contains("not the user's instructions");
            JsonNode read = lastToolResult(b.awaitTurn(3, TURN));
            assertThat(read.path("is_error").asBoolean(false)).isFalse();
            assertThat(text(read))
                    .contains("POST /v2/login now[2J")
                    .contains(aId)
                    .doesNotContain("\\u001b");
            assertThat(sb.awaitResult(2, TURN).path("result").asString()).isEqualTo("B read it");
        }
        assertThat(sb.finish(TURN)).isZero();
    }

    /** Scenario 4: the very first edit of a session is guarded: the installed .mcp.json makes Claude Code wait. */
    @Test
    void theFirstEditRightAfterStartIsGuarded() throws Exception {
        ClaudeRepo repo = hookedRepo();
        JsonNode entry = tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(Files.readString(repo.dir.resolve(".mcp.json")))
                .path("mcpServers")
                .path("coord");
        assertThat(entry.path("alwaysLoad").asBoolean()).as("%s", entry).isTrue();
        try (CoordProcess holder = new CoordProcess(repo.dir, Map.of("CLAUDE_CODE_SESSION_ID", "holder-session"))) {
            holder.ok("register_instance", Map.of("task", "Own the e-module"));
            assertThat(holder.ok("acquire_lock", Map.of("paths", List.of("src/e/"))))
                    .containsEntry("acquired", true);
            for (int i = 0; i < 2; i++) {
                Path file = repo.dir.resolve("src/e/new" + i + ".txt");
                String k = key("first" + i);
                FakeAnthropicApi.Script s = script(k)
                        .tool("Write", Map.of("file_path", file.toString(), "content", "too early\n"))
                        .text("stopped");
                ClaudeCode c = session(repo, Map.of("COORD_ENFORCE", "deny"));
                c.prompt("Write it. " + FakeAnthropicApi.marker(k));
                JsonNode first = s.awaitTurn(0, TURN);
                assertThat(first.path("tools").toString()).contains("mcp__coord__status");
                JsonNode refused = lastToolResult(s.awaitTurn(1, TURN));
                assertThat(refused.path("is_error").asBoolean())
                        .as("%s", refused)
                        .isTrue();
                assertThat(text(refused)).contains("Own the e-module");
                c.awaitResult(1, TURN);
                assertThat(c.finish(TURN)).isZero();
                assertThat(file).doesNotExist();
            }
        }
    }

    ClaudeRepo hookedRepo() throws Exception {
        ClaudeRepo repo = ClaudeRepo.create(tmp, installed, claude, "--hooks");
        Files.createDirectories(repo.dir.resolve("src"));
        String settings = Files.readString(repo.dir.resolve(".claude/settings.json"));
        assertThat(settings).as("init --hooks installs mcp_tool hooks").contains("mcp_tool");
        return repo;
    }

    /** The one lock or claim of another session on {@code path} that {@code coord status --json} lists. */
    static JsonNode lockOn(JsonNode status, String path) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode lock : status.path("locks")) {
            if (path.equals(lock.path("path").asString())) {
                found.add(lock);
            }
        }
        assertThat(found).as("locks on %s in %s", path, status).hasSize(1);
        return found.get(0);
    }

    /** What the model was sent since its last answer (tool results, hook context, the new prompt), as JSON text. */
    static String lastMessage(JsonNode request) {
        JsonNode messages = request.path("messages");
        StringBuilder sb = new StringBuilder();
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode msg = messages.get(i);
            if ("assistant".equals(msg.path("role").asString())) {
                break;
            }
            sb.insert(0, msg.toString() + "\n");
        }
        return sb.toString();
    }

    /**
     * The tool result the model got for its last tool call. Claude Code 2.1.337 sends hook {@code additionalContext}
     * as {@code role: system} messages after it, so it is not always the last message.
     */
    static JsonNode lastToolResult(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode msg = messages.get(i);
            if ("assistant".equals(msg.path("role").asString())) {
                break;
            }
            List<JsonNode> results = new ArrayList<>();
            for (JsonNode block : msg.path("content")) {
                if ("tool_result".equals(block.path("type").asString())) {
                    results.add(block);
                }
            }
            if (!results.isEmpty()) {
                return only(results);
            }
        }
        throw new AssertionError("no tool result after the last assistant message: " + lastMessage(request));
    }

    static String textField(String json, String field) {
        return tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(json)
                .path(field)
                .asString();
    }
}
