package dev.coord.tools;

import static dev.coord.tools.ToolHarness.content;
import static dev.coord.tools.ToolHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.service.HookSettings;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The hook tool as Claude Code's mcp_tool hooks call it, two sessions (one enforcing deny) on one state. */
@SuppressWarnings("unchecked")
class HookToolTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    Path repo;
    ToolHarness alice;
    ToolHarness bob;

    @BeforeEach
    void start() throws Exception {
        repo = dir.toRealPath();
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/a.txt"), "alice's\n");
        Path state = repo.resolve(".claude/coordination");
        alice = new ToolHarness(repo, state, "claude-alice", 11);
        bob = new ToolHarness(
                repo, state, "claude-bob", 12, new HookSettings(HookSettings.Enforce.DENY, Duration.ofMinutes(10)));
        alice.call("register_instance", Map.of("task", "Write the parser"));
        bob.call("register_instance", Map.of("task", "Fix the docs"));
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

    static String text(CallToolResult r) {
        assertThat(r.isError()).as("hook failed: %s", r.content()).isNotEqualTo(Boolean.TRUE);
        assertThat(r.structuredContent()).isNull();
        StringBuilder sb = new StringBuilder();
        r.content().forEach(c -> sb.append(((TextContent) c).text()));
        return sb.toString();
    }

    static Map<String, Object> edit(String tool, String path) {
        Map<String, Object> args = new HashMap<>();
        args.put("event", "PreToolUse");
        args.put("tool_name", tool);
        // as Claude Code substitutes ${tool_input}: the tool's input as JSON text
        args.put("tool_input", "{\"file_path\":\"" + path + "\",\"old_string\":\"a\",\"new_string\":\"b\"}");
        args.put("session_id", "0b7c5a6e-0000-4000-8000-000000000000");
        return args;
    }

    static Map<String, Object> event(String name) {
        return Map.of("event", name, "tool_name", "Bash", "tool_input", "{\"command\":\"ls\"}");
    }

    /** The other sessions' locks on src/a.txt, as the status tool shows them to this session. */
    private List<Map<String, Object>> locks(ToolHarness who) {
        List<Map<String, Object>> paths =
                list(content(who.call("status", Map.of("paths", List.of("src/a.txt")))), "paths");
        return list(paths.get(0), "held_by");
    }

    @Test
    void anEditClaimsTheFileAndAnotherSessionIsDeniedWithTheHolderNamed() throws Exception {
        assertThat(text(alice.call(
                        "hook", edit("Write", repo.resolve("src/a.txt").toString()))))
                .isEmpty();
        assertThat(locks(bob)).singleElement().satisfies(l -> {
            assertThat(l).containsEntry("path", "src/a.txt").containsEntry("holder", "claude-alice");
            assertThat(l).containsEntry("auto", true).containsEntry("mode", "exclusive");
        });
        JsonNode denied = JSON.readTree(text(bob.call("hook", edit("Edit", "src/a.txt"))));
        JsonNode specific = denied.path("hookSpecificOutput");
        assertThat(specific.path("hookEventName").asString()).isEqualTo("PreToolUse");
        assertThat(specific.path("permissionDecision").asString()).isEqualTo("deny");
        assertThat(specific.path("permissionDecisionReason").asString())
                .contains("src/a.txt is held by claude-alice (task: Write the parser), exclusive since ")
                .contains("work on something else");
        // nothing taken or broken: alice still holds it, bob holds nothing
        assertThat(locks(alice)).isNull();
        Map<String, Object> you =
                (Map<String, Object>) content(alice.call("status", Map.of())).get("you");
        assertThat((List<?>) you.get("locks")).hasSize(1);
        // alice edits again: renewed, nothing to say
        assertThat(text(alice.call("hook", edit("Edit", "src/a.txt")))).isEmpty();
    }

    @Test
    void warnModeLetsTheEditGoAheadButTellsTheModelAndTheUser() throws Exception {
        text(bob.call("hook", edit("Write", "src/b.txt")));
        JsonNode warned = JSON.readTree(text(alice.call("hook", edit("MultiEdit", "src/b.txt"))));
        assertThat(warned.path("systemMessage").asString()).contains("held by claude-bob (task: Fix the docs)");
        assertThat(warned.path("hookSpecificOutput").path("permissionDecision").isMissingNode())
                .isTrue();
        assertThat(warned.path("hookSpecificOutput").path("additionalContext").asString())
                .contains("src/b.txt is held by claude-bob");
    }

    @Test
    void aFileUnderTheSessionsOwnLockOrOutsideTheRepositoryOrAnotherToolNeedsNothing() {
        alice.call("acquire_lock", Map.of("paths", List.of("src/")));
        assertThat(text(alice.call("hook", edit("Write", "src/c.txt")))).isEmpty();
        assertThat(text(alice.call("hook", edit("Write", "/etc/hosts")))).isEmpty();
        assertThat(text(alice.call("hook", edit("Write", "../elsewhere.txt")))).isEmpty();
        assertThat(text(alice.call("hook", event("PreToolUse")))).isEmpty();
        Map<String, Object> you =
                (Map<String, Object>) content(alice.call("status", Map.of())).get("you");
        assertThat((List<?>) you.get("locks")).hasSize(1);
    }

    @Test
    void malformedInputGetsAClearInvalidArgument() {
        assertThat(error(alice.call("hook", Map.of("tool_name", "Write")))).startsWith("INVALID_ARGUMENT: ");
        assertThat(error(alice.call("hook", Map.of("event", "SessionStart")))).contains("event");
        Map<String, Object> notJson = edit("Write", "src/a.txt");
        notJson.put("tool_input", "{not json");
        assertThat(error(alice.call("hook", notJson))).startsWith("INVALID_ARGUMENT: tool_input must be a JSON object");
        Map<String, Object> noPath = edit("Write", "src/a.txt");
        noPath.put("tool_input", Map.of("content", "x"));
        assertThat(error(alice.call("hook", noPath))).contains("file_path");
        Map<String, Object> extra = edit("Write", "src/a.txt");
        extra.put("force", true);
        assertThat(error(alice.call("hook", extra))).startsWith("INVALID_ARGUMENT: ");
        assertThat(locks(bob)).isNull();
    }

    static String error(CallToolResult r) {
        assertThat(r.isError()).isTrue();
        return ((TextContent) r.content().get(0)).text();
    }

    @Test
    void theFirstPromptTellsWhoElseWorksHereAndLaterOnesOnlyWhatChanged() throws Exception {
        String first = context(alice.call("hook", event("UserPromptSubmit")), "UserPromptSubmit");
        assertThat(first).contains("1 other session(s) active: claude-bob (Fix the docs, 0 locks)");
        assertThat(first.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThan(300);
        assertThat(text(alice.call("hook", event("UserPromptSubmit")))).isEmpty();
        assertThat(text(alice.call("hook", event("PostToolUse")))).isEmpty();
    }

    @Test
    void aSessionHearsThatTheFileItWantedIsFreeAndThatItsLockWasForceReleased() throws Exception {
        text(alice.call("hook", event("UserPromptSubmit")));
        text(bob.call("hook", event("UserPromptSubmit")));
        text(alice.call("hook", edit("Write", "src/a.txt")));
        Map<String, Object> refused = content(bob.call("acquire_lock", Map.of("paths", List.of("src/a.txt"))));
        assertThat(refused).containsEntry("acquired", false);
        assertThat(text(bob.call("hook", event("PostToolUse")))).isEmpty();
        alice.call("release_lock", Map.of("paths", List.of("src/a.txt")));
        String news = context(bob.call("hook", event("UserPromptSubmit")), "UserPromptSubmit");
        assertThat(news).contains("src/a.txt is free now");
        assertThat(text(bob.call("hook", event("UserPromptSubmit")))).isEmpty();

        alice.call("acquire_lock", Map.of("paths", List.of("docs/")));
        text(alice.call("hook", event("PostToolUse")));
        bob.call(
                "release_lock", Map.of("paths", List.of("docs/"), "force", true, "reason", "alice's session is stuck"));
        String lost = context(alice.call("hook", event("PostToolUse")), "PostToolUse");
        assertThat(lost).contains("your lock on docs/ was force-released by claude-bob (alice's session is stuck)");
        assertThat(text(alice.call("hook", event("PostToolUse")))).isEmpty();
    }

    @Test
    void aDecisionInAnAreaTheSessionHoldsLocksInIsReported() throws Exception {
        text(alice.call("hook", edit("Write", "src/a.txt")));
        text(alice.call("hook", event("PostToolUse")));
        bob.call(
                "log_decision",
                Map.of(
                        "category", "format",
                        "title", "Parser input is UTF-8 only",
                        "description", "Everything under src/ reads UTF-8; reject other encodings."));
        bob.call(
                "log_decision",
                Map.of("category", "docs", "title", "Docs use British spelling", "description", "In docs/ only."));
        String news = context(alice.call("hook", event("PostToolUse")), "PostToolUse");
        assertThat(news).contains("by claude-bob concerns src/: \"Parser input is UTF-8 only\"");
        assertThat(news).doesNotContain("British");
        assertThat(text(alice.call("hook", event("PostToolUse")))).isEmpty();
    }

    @Test
    void toolUsesDoNotRewriteTheLockTableWhenNoLeaseIsDue() throws Exception {
        alice.call("acquire_lock", Map.of("paths", List.of("src/a.txt")));
        Path table = repo.resolve(".claude/coordination/locks.json");
        text(alice.call("hook", event("UserPromptSubmit"))); // the greeting
        String before = Files.readString(table);
        for (int i = 0; i < 20; i++) {
            assertThat(text(alice.call("hook", event("PostToolUse")))).doesNotContain("lock");
        }
        assertThat(Files.readString(table)).isEqualTo(before);
    }

    @Test
    void aFileChangedOnDiskSinceAnotherSessionReleasedItIsReported() throws Exception {
        text(bob.call("hook", edit("Write", "src/a.txt")));
        bob.call("release_lock", Map.of("paths", List.of("src/a.txt")));
        Files.writeString(repo.resolve("src/a.txt"), "changed outside any lock\n");
        String said = context(alice.call("hook", edit("Edit", "src/a.txt")), "PreToolUse");
        assertThat(said).contains("src/a.txt changed on disk since claude-bob released it");
    }

    static String context(CallToolResult r, String event) throws Exception {
        JsonNode out = JSON.readTree(text(r));
        assertThat(out.path("hookSpecificOutput").path("hookEventName").asString())
                .isEqualTo(event);
        return out.path("hookSpecificOutput").path("additionalContext").asString();
    }
}
