package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.server.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreEditHookTest {
    @TempDir
    Path dir;

    CliFixture f;

    @BeforeEach
    void setUp() throws IOException {
        f = new CliFixture(dir);
        Files.createDirectories(f.repo.resolve("src"));
        Files.writeString(f.repo.resolve("src/A.java"), "class A {}");
    }

    private String input(String session, String tool, String field, String path) {
        return "{\"session_id\":\"" + session + "\",\"transcript_path\":\"/tmp/t.jsonl\",\"cwd\":\"" + f.repo
                + "\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"" + tool + "\",\"tool_input\":{\"" + field
                + "\":\"" + path + "\",\"content\":\"x\"}}";
    }

    private String edit(String session, String path) {
        return input(session, "Edit", "file_path", path);
    }

    private Instance lockedByOther() {
        Instance other = f.register("Implement the auth API", "backend", "session-other");
        f.lock(other, "src/A.java", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);
        return other;
    }

    @Test
    void freeFileGivesNoOutput() {
        f.register("Something else", "ui", "session-other");

        CliFixture.Result r = f.runWithInput(edit("session-me", f.repo + "/src/A.java"), "hook", "pre-edit");

        assertThat(r.code()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void denyBlocksAFileLockedByAnotherSession() {
        Instance other = lockedByOther();
        f.env.put("COORD_ENFORCE", "deny");

        CliFixture.Result r = f.runWithInput(edit("session-me", f.repo + "/src/A.java"), "hook", "pre-edit");

        assertThat(r.code()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(r.out())
                .isEqualTo("{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"deny\","
                        + "\"permissionDecisionReason\":\"src/A.java is locked (exclusive) by " + other.id()
                        + " (Implement the auth API) until 2026-11-21T10:30:00Z. Edit it only once the lock is"
                        + " released: ask coord's status tool who holds what, work on something else meanwhile, or"
                        + " acquire_lock with wait_seconds.\"}}\n");
    }

    @Test
    void warnIsTheDefaultAndDoesNotBlock() {
        Instance other = lockedByOther();
        String why = "src/A.java is locked (exclusive) by " + other.id()
                + " (Implement the auth API) until 2026-11-21T10:30:00Z. Edit it only once the lock is released: ask"
                + " coord's status tool who holds what, work on something else meanwhile, or acquire_lock with"
                + " wait_seconds.";

        CliFixture.Result r = f.runWithInput(edit("session-me", f.repo + "/src/A.java"), "hook", "pre-edit");

        assertThat(r.code()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(r.out())
                .isEqualTo("{\"systemMessage\":\"coord: " + why + "\",\"hookSpecificOutput\":{\"hookEventName\":"
                        + "\"PreToolUse\",\"additionalContext\":\"coord warning: " + why + "\"}}\n");
    }

    @Test
    void offDoesNothingEvenWhenLocked() {
        lockedByOther();
        f.env.put("COORD_ENFORCE", "off");

        CliFixture.Result r = f.runWithInput(edit("session-me", f.repo + "/src/A.java"), "hook", "pre-edit");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void theCallersOwnLockDoesNotBlockByHookSessionOrEnvironment() {
        f.env.put("COORD_ENFORCE", "deny");
        Instance me = f.register("Mine", "backend", "session-me");
        f.lock(me, "src/", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);

        assertThat(f.runWithInput(edit("session-me", "src/A.java"), "hook", "pre-edit")
                        .out())
                .isEmpty();
        f.env.put("CLAUDE_CODE_SESSION_ID", "session-me");
        assertThat(f.runWithInput(edit("", f.repo + "/src/A.java"), "hook", "pre-edit")
                        .out())
                .isEmpty();
        f.env.remove("CLAUDE_CODE_SESSION_ID");
        assertThat(f.runWithInput(edit("session-else", f.repo + "/src/A.java"), "hook", "pre-edit")
                        .out())
                .as("another session is blocked by the directory lock")
                .contains(
                        "\"permissionDecision\":\"deny\"",
                        "src/A.java is locked through src/ (exclusive) by " + me.id());
    }

    @Test
    void sharedLocksOfOthersBlockEditsAndNotebooksAreChecked() {
        f.env.put("COORD_ENFORCE", "deny");
        Instance reader = f.register("Reading", "review", "session-other");
        f.lock(reader, "nb.ipynb", LockMode.SHARED, Duration.ofMinutes(30), null);

        CliFixture.Result r = f.runWithInput(
                input("session-me", "NotebookEdit", "notebook_path", f.repo + "/nb.ipynb"), "hook", "pre-edit");

        assertThat(r.out()).contains("nb.ipynb is locked (shared) by " + reader.id());
    }

    @Test
    void noStateOutsideTheRepositoryAndBadInput() {
        CliFixture.Result none = f.runWithInput(edit("s", f.repo + "/src/A.java"), "hook", "pre-edit");
        assertThat(none.out()).isEmpty();
        assertThat(f.stateExists()).as("the hook creates no state").isFalse();

        lockedByOther();
        assertThat(f.runWithInput(edit("s", "/etc/hosts"), "hook", "pre-edit").out())
                .isEmpty();
        assertThat(f.runWithInput("{\"tool_name\":\"Write\"}", "hook", "pre-edit")
                        .out())
                .isEmpty();

        CliFixture.Result bad = f.runWithInput("not json", "hook", "pre-edit");
        assertThat(bad.code()).as("never exit 2, which would block").isEqualTo(ExitCodes.FAILURE);
        assertThat(bad.err()).contains("not JSON");
        f.env.put("COORD_ENFORCE", "block");
        CliFixture.Result mode = f.runWithInput(edit("s", f.repo + "/src/A.java"), "hook", "pre-edit");
        assertThat(mode.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(mode.err()).contains("\"block\"");
    }

    @Test
    void theParsedCommandLineRunsTheSameHook() {
        lockedByOther();
        f.env.put("COORD_ENFORCE", "deny");

        CliFixture.Result r = f.runWithInput(edit("session-me", f.repo + "/src/A.java"), "hook", "pre-edit", "-h");

        assertThat(r.out()).contains("COORD_ENFORCE");
        CliFixture.Result viaPicocli =
                f.runIn(f.repo, edit("session-me", f.repo + "/src/A.java"), "hook", "pre-edit", "--");
        assertThat(viaPicocli.out()).contains("\"permissionDecision\":\"deny\"");
    }
}
