package dev.coord.tools;

import static dev.coord.tools.HookToolTest.JSON;
import static dev.coord.tools.HookToolTest.edit;
import static dev.coord.tools.HookToolTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.git.RadarResult;
import dev.coord.engine.git.WorktreeChanges;
import dev.coord.engine.service.HookSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The git side of the hook tool: the Bash guard when two sessions share a worktree (alice warns, bob denies), and the
 * warning on a first edit of a file a session in another worktree already changed.
 */
class HookGitTest {
    @TempDir
    Path dir;

    Path repo;
    Path other;
    ToolHarness alice;
    ToolHarness bob;
    ToolHarness carol;

    @BeforeEach
    void start() throws Exception {
        repo = dir.resolve("repo");
        other = dir.resolve("wt-carol");
        Files.createDirectories(repo.resolve("src"));
        Files.createDirectories(other);
        repo = repo.toRealPath();
        other = other.toRealPath();
        Files.writeString(repo.resolve("src/a.txt"), "a\n");
        Path state = repo.resolve(".claude/coordination");
        alice = new ToolHarness(repo, state, "claude-alice", 11);
        bob = new ToolHarness(
                repo, state, "claude-bob", 12, new HookSettings(HookSettings.Enforce.DENY, Duration.ofMinutes(10)));
        carol = new ToolHarness(other, state, "claude-carol", 13);
        alice.call("register_instance", Map.of("task", "Write the parser"));
        bob.call("register_instance", Map.of("task", "Fix the docs"));
        carol.call("register_instance", Map.of("task", "Rename the lexer"));
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
        carol.close();
    }

    /** As init --hooks writes it: the command and the cwd, substituted by Claude Code. */
    static Map<String, Object> bash(String command, Path cwd) {
        Map<String, Object> args = new HashMap<>();
        args.put("event", "PreToolUse");
        args.put("tool_name", "Bash");
        args.put("command", command);
        args.put("cwd", cwd.toString());
        args.put("session_id", "0b7c5a6e-0000-4000-8000-000000000000");
        return args;
    }

    @Test
    void wholeTreeGitCommandsInASharedWorktreeAreWarnedOrDenied() throws Exception {
        JsonNode warned = JSON.readTree(text(alice.call("hook", bash("npm test && git stash", repo))));
        assertThat(warned.at("/hookSpecificOutput/permissionDecision").isMissingNode())
                .isTrue();
        assertThat(warned.at("/hookSpecificOutput/additionalContext").asString())
                .contains("git stash")
                .contains("claude-bob (Fix the docs)")
                .doesNotContain("claude-alice")
                .doesNotContain("claude-carol")
                .contains("git worktree add");

        JsonNode denied = JSON.readTree(text(bob.call("hook", bash("git commit -am 'wip'", repo.resolve("src")))));
        assertThat(denied.at("/hookSpecificOutput/permissionDecision").asString())
                .isEqualTo("deny");
        assertThat(denied.at("/hookSpecificOutput/permissionDecisionReason").asString())
                .contains("claude-alice (Write the parser)")
                .contains("git commit -m <msg> -- <your paths>");

        assertThat(text(alice.call("hook", bash("git add src/a.txt && git commit -m x -- src/a.txt", repo))))
                .isEmpty();
        assertThat(text(carol.call("hook", bash("git reset --hard", other))))
                .as("carol is alone in her worktree")
                .isEmpty();
        assertThat(text(alice.call("hook", bash("echo 'unclosed", repo)))).isEmpty();

        Map<String, Object> whole = new HashMap<>(bash("ignored", repo));
        whole.remove("command");
        whole.remove("cwd");
        whole.put("tool_input", "{\"command\":\"git checkout -b topic\",\"description\":\"branch\"}");
        assertThat(text(alice.call("hook", whole)))
                .as("the whole ${tool_input}")
                .contains("claude-bob");
    }

    @Test
    void aFirstEditOfAFileAnotherWorktreeChangedIsWarnedOnce() throws Exception {
        RadarResult radar = new RadarResult(
                Instant.now(),
                5,
                "2.39",
                true,
                "main",
                Map.of("claude-alice", repo.toString(), "claude-carol", other.toString()),
                List.of(
                        new WorktreeChanges(repo.toString(), "a1", Set.of(), Set.of(), false),
                        new WorktreeChanges(other.toString(), "c1", Set.of("src/a.txt"), Set.of("src/b.txt"), false)),
                List.of(),
                false,
                List.of());
        alice.coord.useRadar(() -> radar);
        String first = text(alice.call("hook", edit("Edit", "src/a.txt")));
        assertThat(JSON.readTree(first)
                        .at("/hookSpecificOutput/additionalContext")
                        .asString())
                .contains("src/a.txt has uncommitted changes by claude-carol (Rename the lexer) in " + other)
                .contains("merge conflict");
        assertThat(text(alice.call("hook", edit("Edit", "src/a.txt"))))
                .as("already claimed")
                .isEmpty();
        assertThat(JSON.readTree(text(alice.call("hook", edit("Write", "src/b.txt"))))
                        .at("/hookSpecificOutput/additionalContext")
                        .asString())
                .contains("src/b.txt was changed on branch main, not merged yet, by claude-carol");
        assertThat(text(alice.call("hook", edit("Write", "src/c.txt")))).isEmpty();
    }
}
