package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.server.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The git parts of the command line on real repositories with a linked worktree: {@code coord conflicts}, the pre-push
 * warning, the pre-commit check by Claude Code session id, and the Bash and changed-file warnings of the edit hook.
 */
class GitRadarCliTest {
    @TempDir
    Path dir;

    CliFixture f;
    Path wtB;

    static String lines(int changed, String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            b.append(i == changed ? text : "line " + i).append('\n');
        }
        return b.toString();
    }

    @BeforeEach
    void setUp() throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo);
        f = new CliFixture(repo);
        Git.init(f.repo);
        Files.writeString(f.repo.resolve("shared.txt"), lines(0, ""));
        Files.writeString(f.repo.resolve("README.md"), "hi\n");
        Git.run(f.repo, "add", ".");
        Git.run(f.repo, "commit", "-qm", "init");
        wtB = dir.resolve("wt-b");
        Git.run(f.repo, "worktree", "add", "-q", "-b", "b", wtB.toString());
        wtB = wtB.toRealPath();
    }

    @Test
    void conflictsListsAnUncommittedOverlapAndThenAPredictedConflict() throws Exception {
        Path wtA = dir.resolve("wt-a");
        Git.run(f.repo, "worktree", "add", "-q", "-b", "a", wtA.toString());
        wtA = wtA.toRealPath();
        Instance a = f.registerIn(wtA, "Refactor the parser", "dev", "s-a");
        Instance b = f.registerIn(wtB, "Fix the lexer", "dev", "s-b");
        assertThat(f.run("conflicts").out()).contains("no overlaps");

        Files.writeString(wtA.resolve("shared.txt"), lines(1, "A"));
        Files.writeString(wtB.resolve("shared.txt"), lines(1, "B"));
        f.clock.advance(Duration.ofSeconds(6));
        CliFixture.Result r = f.run("conflicts", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = Json.mapper().readTree(r.out()).get("overlaps").get(0);
        assertThat(o.get("path").asString()).isEqualTo("shared.txt");
        assertThat(o.get("conflict").asString()).isEqualTo("unknown");
        assertThat(o.get("sessions").findValuesAsString("instance_id")).containsExactlyInAnyOrder(a.id(), b.id());

        Git.run(wtA, "commit", "-qam", "a");
        Git.run(wtB, "commit", "-qam", "b");
        f.clock.advance(Duration.ofSeconds(6));
        r = f.run("conflicts");
        assertThat(r.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(r.out()).contains("shared.txt  conflict: true").contains(b.id() + " (Fix the lexer) in " + wtB);
    }

    @Test
    void prePushWarnsAboutAConflictWithAnotherSessionsBranchAndNeverRefuses() throws Exception {
        Instance b = f.registerIn(wtB, "Fix the lexer", "dev", "s-b");
        Files.writeString(wtB.resolve("shared.txt"), lines(1, "B"));
        Git.run(wtB, "commit", "-qam", "b");
        Files.writeString(f.repo.resolve("README.md"), "other\n");
        Git.run(f.repo, "commit", "-qam", "harmless");
        String sha = Git.run(f.repo, "rev-parse", "HEAD").strip();
        String push = "refs/heads/main " + sha + " refs/heads/main 0000000000000000000000000000000000000000\n";
        CliFixture.Result clean = f.runWithInput(push, "hook", "pre-push", "origin", "/tmp/x");
        assertThat(clean.code()).isZero();
        assertThat(clean.err()).isEmpty();

        Files.writeString(f.repo.resolve("shared.txt"), lines(1, "A"));
        Git.run(f.repo, "commit", "-qam", "a");
        sha = Git.run(f.repo, "rev-parse", "HEAD").strip();
        push = "refs/heads/main " + sha + " refs/heads/main 0000000000000000000000000000000000000000\n";
        CliFixture.Result warned = f.runWithInput(push, "hook", "pre-push", "origin", "/tmp/x");
        assertThat(warned.code()).isZero();
        assertThat(warned.err())
                .contains("refs/heads/main would conflict with branch main of " + b.id())
                .contains("(Fix the lexer)")
                .contains(": shared.txt.");

        f.env.put("CLAUDE_CODE_SESSION_ID", "s-b");
        assertThat(f.runWithInput(push, "hook", "pre-push").err())
                .as("the pushing session itself")
                .isEmpty();
    }

    @Test
    void preCommitKnowsTheSessionByClaudeCodeSessionId() throws Exception {
        Instance holder = f.register("Implement the auth API", "backend", "session-1");
        f.lock(holder, "README.md", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);
        Files.writeString(f.repo.resolve("README.md"), "changed\n");
        Git.run(f.repo, "add", "README.md");
        CliFixture.Result refused = f.run("hook", "pre-commit");
        assertThat(refused.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(refused.err())
                .contains("another live session is editing staged files")
                .contains("README.md is locked by " + holder.id())
                .contains("git restore --staged -- <paths>");
        f.env.put("CLAUDE_CODE_SESSION_ID", "session-1");
        assertThat(f.run("hook", "pre-commit").code()).isZero();
        f.env.put("CLAUDE_CODE_SESSION_ID", "session-2");
        assertThat(f.run("hook", "pre-commit").code()).isEqualTo(ExitCodes.FAILURE);
        f.env.put("COORD_SESSION_ID", "session-1");
        assertThat(f.run("hook", "pre-commit").code())
                .as("COORD_SESSION_ID comes first")
                .isZero();
    }

    @Test
    void preCommitCountsEditClaimsOnlyInTheWorktreeBeingCommitted() throws Exception {
        Instance elsewhere = f.registerIn(wtB, "Fix the lexer", "dev", "s-b");
        Instance here = f.register("Write the parser", "dev", "s-here");
        try (var store = f.store()) {
            store.claimEdit(elsewhere, "shared.txt", null, Duration.ofMinutes(10));
        }
        Files.writeString(f.repo.resolve("shared.txt"), lines(1, "A"));
        Git.run(f.repo, "add", "shared.txt");
        assertThat(f.run("hook", "pre-commit").code())
                .as("a claim in wt-b: that session edits its own copy")
                .isZero();

        try (var store = f.store()) {
            store.claimEdit(here, "README.md", null, Duration.ofMinutes(10));
        }
        Files.writeString(f.repo.resolve("README.md"), "changed\n");
        Git.run(f.repo, "add", "README.md");
        CliFixture.Result r = f.run("hook", "pre-commit");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("README.md is being edited by " + here.id() + " (Write the parser)");
        f.env.put("CLAUDE_CODE_SESSION_ID", "s-here");
        assertThat(f.run("hook", "pre-commit").code()).as("its own claim").isZero();
    }

    static String bashInput(String command, Path cwd, String session) {
        return "{\"session_id\":\"" + session + "\",\"cwd\":\"" + cwd + "\",\"tool_name\":\"Bash\",\"tool_input\":"
                + "{\"command\":" + Json.mapper().writeValueAsString(command) + "}}";
    }

    @Test
    void theBashGuardWarnsOrDeniesWholeTreeCommandsInASharedWorktree() throws Exception {
        f.register("Refactor the parser", "dev", "s-a");
        Instance peer = f.register("Implement the auth API", "dev", "s-peer");
        CliFixture.Result warn = f.runWithInput(bashInput("npm test && git add -A", f.repo, "s-a"), "hook", "pre-edit");
        assertThat(warn.code()).isZero();
        JsonNode out = Json.mapper().readTree(warn.out());
        assertThat(out.at("/hookSpecificOutput/additionalContext").asString())
                .contains("git add -A")
                .contains(peer.id() + " (Implement the auth API)")
                .contains("git add <your files>");
        assertThat(f.runWithInput(
                                bashInput("git add README.md && git commit -m x -- README.md", f.repo, "s-a"),
                                "hook",
                                "pre-edit")
                        .out())
                .isEmpty();

        f.env.put("COORD_ENFORCE", "deny");
        JsonNode denied = Json.mapper()
                .readTree(f.runWithInput(bashInput("git stash", f.repo, "s-a"), "hook", "pre-edit")
                        .out());
        assertThat(denied.at("/hookSpecificOutput/permissionDecision").asString())
                .isEqualTo("deny");
        assertThat(denied.at("/hookSpecificOutput/permissionDecisionReason").asString())
                .contains(peer.id());

        assertThat(f.runWithInput(bashInput("git stash", wtB, "s-b"), "hook", "pre-edit")
                        .out())
                .as("nobody else in that worktree")
                .isEmpty();
        assertThat(f.runWithInput(bashInput("echo \"unclosed", f.repo, "s-a"), "hook", "pre-edit")
                        .out())
                .as("unparseable: allowed")
                .isEmpty();
    }

    @Test
    void theEditHookWarnsAboutAFileAnotherSessionChangedWithoutAnyLock() throws Exception {
        f.register("Refactor the parser", "dev", "s-a");
        Instance b = f.registerIn(wtB, "Fix the lexer", "dev", "s-b");
        Files.writeString(wtB.resolve("shared.txt"), lines(1, "B"));
        f.run("conflicts"); // runs the radar and writes the shared cache, as a server's refresher would
        String edit = "{\"session_id\":\"s-a\",\"cwd\":\"" + f.repo + "\",\"tool_name\":\"Edit\",\"tool_input\":"
                + "{\"file_path\":\"" + f.repo.resolve("shared.txt") + "\"}}";
        f.env.put("COORD_ENFORCE", "deny");
        CliFixture.Result r = f.runWithInput(edit, "hook", "pre-edit");
        JsonNode out = Json.mapper().readTree(r.out());
        assertThat(out.at("/hookSpecificOutput/permissionDecision").isMissingNode())
                .as("no lock: a warning even in deny mode")
                .isTrue();
        assertThat(out.at("/hookSpecificOutput/additionalContext").asString())
                .contains("shared.txt has uncommitted changes by " + b.id() + " (Fix the lexer) in " + wtB);
        String other = edit.replace("shared.txt", "README.md");
        assertThat(f.runWithInput(other, "hook", "pre-edit").out()).isEmpty();
    }
}
