package dev.coord.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SharedTreeGuardTest {
    @TempDir
    static Path dir;

    static Path shared;
    static Path own;
    static List<Instance> live;

    @BeforeAll
    static void trees() throws IOException {
        shared = dir.resolve("repo");
        own = dir.resolve("wt-own");
        Files.createDirectories(shared.resolve("src/sub"));
        Files.createDirectories(own);
        Files.writeString(shared.resolve("README.md"), "x");
        Files.writeString(shared.resolve("src/A.java"), "x");
        live = List.of(
                instance("claude-me", shared, "s-me", "Fix the parser"),
                instance("claude-peer", shared, "s-peer", "Implement the auth API"),
                instance("claude-alone", own, "s-alone", "Docs"));
    }

    static Instance instance(String id, Path worktree, String session, String task) {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        return new Instance(id, 1, t, "h", "b", worktree.toString(), "main", null, null, session, task, null, t, t);
    }

    static Optional<String> check(String command, Path cwd, String callerSession) {
        Map<String, String> aliases =
                Map.of("co", "checkout", "st", "status", "sw", "switch -c", "wipe", "!git reset --hard");
        return SharedTreeGuard.check(
                command, cwd, i -> Objects.equals(i.sessionId(), callerSession), live, aliases::get);
    }

    /** verdict: warn when another session shares the worktree and the command acts on all of it, else allow. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '~', textBlock = """
            git stash => warn
            git stash push -m wip => warn
            git stash pop => warn
            git stash list => allow
            git stash show -p => allow
            git checkout feature => warn
            git checkout -b feature => warn
            git checkout - => warn
            git checkout README.md => allow
            git checkout -- src/A.java => allow
            git checkout main -- src/A.java => allow
            git checkout . => warn
            git checkout -- . => warn
            git switch main => warn
            git switch -c topic => warn
            git reset --hard => warn
            git reset --hard HEAD~1 => warn
            git reset -- src/A.java => allow
            git reset src/A.java => allow
            git reset => warn
            git reset HEAD~1 => warn
            git clean -fd => warn
            git clean -f => warn
            git clean -n => allow
            git clean -f -- build/out.txt => allow
            git add -A => warn
            git add . => warn
            git add -u => warn
            git add --all => warn
            git add src/A.java README.md => allow
            git commit -a -m wip => warn
            git commit -am wip => warn
            git commit --all => warn
            git commit -m 'fix a bug' -- src/A.java => allow
            git commit -m "add -A later" => allow
            git commit -ma => allow
            git restore . => warn
            git restore --staged . => warn
            git restore src/A.java => allow
            git rebase main => warn
            git rebase --continue => warn
            git pull => warn
            git pull --rebase origin main => warn
            git status => allow
            git diff HEAD => allow
            git log --oneline -5 => allow
            git fetch origin => allow
            git worktree add ../wt-x -b x => allow
            git stash --help => allow
            ls -la && git status => allow
            npm test && git add -A && git commit -m done => warn
            make || git stash => warn
            echo start; git reset --hard => warn
            cat f | git stash => warn
            (cd src && git stash) => warn
            { git stash; } => warn
            echo "git stash" => allow
            echo 'git reset --hard' => allow
            grep -r "git add -A" docs => allow
            FOO=1 git stash => warn
            sudo -u root git clean -fdx => warn
            command git stash => warn
            env GIT_PAGER=cat git pull => warn
            /usr/bin/git stash => warn
            git -C ../wt-own stash => warn
            cd ../wt-own && git stash => warn
            cd /nowhere/else && git stash => allow
            git -C src stash => warn
            git -c core.pager=cat stash => warn
            git --no-pager stash => warn
            sh -c 'git stash' => warn
            bash -lc "git reset --hard" => warn
            echo $(git stash) => warn
            echo `git stash` => warn
            git co feature => warn
            git co README.md => allow
            git sw topic => warn
            git wipe => allow
            git st => allow
            git stash # comment => warn
            # git stash => allow
            git status 2>&1 >/dev/null => allow
            git stash 2>/dev/null => warn
            echo "unclosed => allow
            echo ) git stash => allow
            """)
    void verdicts(String command, String verdict) {
        Optional<String> reason = check(command, shared, "s-me");
        assertThat(reason.isPresent() ? "warn" : "allow")
                .as("%s -> %s", command, reason.orElse("allowed"))
                .isEqualTo(verdict);
    }

    @Test
    void theCommitMessageHeredocOfClaudeCodeIsSkipped() {
        String commit =
                "git add src/A.java && git commit -m \"$(cat <<'EOF'\nFix it)\n\ngit stash; git add -A (\nEOF\n)\"";
        assertThat(check(commit, shared, "s-me")).isEmpty();
        assertThat(check(commit + " && git stash", shared, "s-me")).isPresent();
    }

    @Test
    void theReasonNamesTheOthersAndTheSafeForm() {
        String reason = check("git add -A", shared, "s-me").orElseThrow();
        assertThat(reason)
                .contains("claude-peer (Implement the auth API)")
                .contains(shared.toString())
                .contains("git add <your files>")
                .doesNotContain("claude-me")
                .doesNotContain("claude-alone");
    }

    @Test
    void aWorktreeOfOnesOwnIsNeverGuarded() {
        assertThat(check("git reset --hard", own, "s-alone")).isEmpty();
        assertThat(check("git stash", shared.resolve("src"), "s-me")).isPresent();
    }

    @Test
    void aPersonOutsideAnySessionSeesEverySessionOfTheTree() {
        String reason = check("git stash", shared, null).orElseThrow();
        assertThat(reason).contains("claude-me").contains("claude-peer");
    }

    @Test
    void parserSplitsCompoundCommandsAndKeepsQuotedWordsWhole() throws ShellSyntaxException {
        assertThat(ShellParser.parse("a 'b c' \"d $e\" && f|g; (h) || i\\ j 2>&1 > out"))
                .containsExactly(List.of("a", "b c", "d $e"), List.of("f"), List.of("g"), List.of("h"), List.of("i j"));
        assertThat(ShellParser.parse("x <<EOF\nbody ) (\nEOF\ny")).containsExactly(List.of("x"), List.of("y"));
    }
}
