package dev.coord.engine.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoLocatorTest {

    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path tmp;

    @Test
    void mainWorktree() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));

        RepoLayout layout = RepoLocator.locate(main, NO_ENV);

        assertThat(layout.git()).isTrue();
        assertThat(layout.root()).isEqualTo(main);
        assertThat(layout.worktreeRoot()).isEqualTo(main);
        assertThat(layout.mainWorktreeRoot()).isEqualTo(main);
        assertThat(layout.gitDir()).isEqualTo(main.resolve(".git"));
        assertThat(layout.gitCommonDir()).isEqualTo(main.resolve(".git"));
        assertThat(layout.branch()).isEqualTo("main");
        assertMatchesGit(layout, main);
        assertThat(RepoLocator.stateDir(layout, NO_ENV)).isEqualTo(main.resolve(".claude/coordination"));
    }

    @Test
    void linkedWorktreeSharesTheMainStateDir() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        GitCli.run(main, "worktree", "add", "-q", "../wt2", "-b", "feature");
        Path wt2 = tmp.resolve("wt2").toRealPath();

        RepoLayout layout = RepoLocator.locate(wt2, NO_ENV);

        assertThat(layout.git()).isTrue();
        assertThat(layout.root()).isEqualTo(wt2);
        assertThat(layout.worktreeRoot()).isEqualTo(wt2);
        assertThat(layout.mainWorktreeRoot()).isEqualTo(main);
        assertThat(layout.gitDir()).isEqualTo(main.resolve(".git/worktrees/wt2"));
        assertThat(layout.gitCommonDir()).isEqualTo(main.resolve(".git"));
        assertThat(layout.branch()).isEqualTo("feature");
        assertMatchesGit(layout, wt2);
        assertThat(RepoLocator.stateDir(layout, NO_ENV))
                .isEqualTo(RepoLocator.stateDir(RepoLocator.locate(main, NO_ENV), NO_ENV))
                .isEqualTo(main.resolve(".claude/coordination"));
    }

    @Test
    void subdirectoryOfALinkedWorktree() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        GitCli.run(main, "worktree", "add", "-q", "../wt2", "-b", "feature");
        Path sub = Files.createDirectories(tmp.resolve("wt2/a/b"));

        RepoLayout layout = RepoLocator.locate(sub, NO_ENV);

        assertThat(layout.root()).isEqualTo(tmp.resolve("wt2").toRealPath());
        assertThat(layout.mainWorktreeRoot()).isEqualTo(main);
        assertMatchesGit(layout, sub);
    }

    @Test
    void subdirectoryCwdFindsTheTopLevel() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        Path sub = Files.createDirectories(main.resolve("src/deep"));

        RepoLayout layout = RepoLocator.locate(sub, NO_ENV);

        assertThat(layout.root()).isEqualTo(main);
        assertThat(layout.gitCommonDir()).isEqualTo(main.resolve(".git"));
        assertMatchesGit(layout, sub);
    }

    @Test
    void projectDirOverridesTheWorkingDirectory() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        GitCli.run(main, "worktree", "add", "-q", "../wt2", "-b", "feature");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));

        RepoLayout layout = RepoLocator.locate(
                elsewhere, Map.of("CLAUDE_PROJECT_DIR", tmp.resolve("wt2").toString()));

        assertThat(layout.root()).isEqualTo(tmp.resolve("wt2").toRealPath());
        assertThat(layout.mainWorktreeRoot()).isEqualTo(main);
        assertThat(layout.branch()).isEqualTo("feature");
    }

    @Test
    void projectDirInsideARepositoryGivesItsTopLevel() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        Path sub = Files.createDirectories(main.resolve("module"));

        RepoLayout layout = RepoLocator.locate(tmp, Map.of("CLAUDE_PROJECT_DIR", sub.toString()));

        assertThat(layout.root()).isEqualTo(main);
    }

    @Test
    void relativeProjectDirIsTakenFromTheWorkingDirectory() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));

        RepoLayout layout = RepoLocator.locate(tmp, Map.of("CLAUDE_PROJECT_DIR", "main"));

        assertThat(layout.root()).isEqualTo(main);
    }

    @Test
    void projectDirThatNamesNoDirectoryIsAnErrorNotAFallBack() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        Files.writeString(tmp.resolve("file"), "x");

        assertThatThrownBy(() -> RepoLocator.locate(
                        main,
                        Map.of("CLAUDE_PROJECT_DIR", tmp.resolve("missing").toString())))
                .isInstanceOf(CoordException.class)
                .hasMessageContaining("CLAUDE_PROJECT_DIR='" + tmp.resolve("missing") + "' names no directory")
                .hasMessageContaining("it does not exist");
        assertThatThrownBy(() -> RepoLocator.locate(
                        main, Map.of("CLAUDE_PROJECT_DIR", tmp.resolve("file").toString())))
                .isInstanceOf(CoordException.class)
                .hasMessageContaining("it is a file");
        // blank counts as unset
        assertThat(RepoLocator.locate(main, Map.of("CLAUDE_PROJECT_DIR", " ")).root())
                .isEqualTo(main);
    }

    @Test
    void aStateDirectoryBelowARegularFileIsAnError() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        RepoLayout layout = RepoLocator.locate(main, Map.of());

        assertThatThrownBy(() -> RepoLocator.stateDir(layout, Map.of("COORD_STATE_DIR", file + "/state")))
                .isInstanceOf(CoordException.class)
                .satisfies(e -> assertThat(((CoordException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                .hasMessageContaining(
                        "(COORD_STATE_DIR) cannot be used: not a directory: " + file + " is a regular file");
        assertThatThrownBy(() -> RepoLocator.stateDir(layout, Map.of("COORD_STATE_DIR", file.toString())))
                .hasMessageContaining(file + " is a regular file, not a directory");
        // the default state directory, where a file is in the way
        Files.createDirectories(main.resolve(".claude"));
        Files.writeString(main.resolve(".claude/coordination"), "x");
        assertThatThrownBy(() -> RepoLocator.stateDir(layout, Map.of()))
                .hasMessageContaining("is a regular file, not a directory")
                .hasMessageContaining("Move that file away");
    }

    @Test
    void stateDirFromEnvironment() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        GitCli.run(main, "worktree", "add", "-q", "../wt2", "-b", "feature");
        RepoLayout linked = RepoLocator.locate(tmp.resolve("wt2"), NO_ENV);
        Path absolute = tmp.resolve("state");

        assertThat(RepoLocator.stateDir(linked, Map.of("COORD_STATE_DIR", absolute.toString())))
                .isEqualTo(absolute);
        assertThat(RepoLocator.stateDir(linked, Map.of("COORD_STATE_DIR", "var/./coord/")))
                .isEqualTo(linked.root().resolve("var/coord"));
        assertThat(RepoLocator.stateDir(linked, Map.of("COORD_STATE_DIR", "")))
                .isEqualTo(main.resolve(".claude/coordination"));
    }

    @Test
    void missionsDirIsInTheWorktreeUnlessTheEnvironmentSaysOtherwise() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        GitCli.run(main, "worktree", "add", "-q", "../wt2", "-b", "feature");
        RepoLayout linked = RepoLocator.locate(tmp.resolve("wt2"), NO_ENV);
        Path shared = tmp.resolve("shared-missions");

        assertThat(RepoLocator.missionsDir(linked, NO_ENV))
                .isEqualTo(linked.root().resolve("missions"));
        assertThat(RepoLocator.missionsDir(linked, Map.of("COORD_MISSIONS_DIR", " ")))
                .isEqualTo(linked.root().resolve("missions"));
        assertThat(RepoLocator.missionsDir(linked, Map.of("COORD_MISSIONS_DIR", "docs/./missions/")))
                .isEqualTo(linked.root().resolve("docs/missions"));
        assertThat(RepoLocator.missionsDir(linked, Map.of("COORD_MISSIONS_DIR", shared.toString())))
                .isEqualTo(shared);
        assertThatThrownBy(() -> RepoLocator.missionsDir(linked, Map.of("COORD_MISSIONS_DIR", "a\0b")))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH))
                .hasMessageContaining("COORD_MISSIONS_DIR");
    }

    @Test
    void invalidStateDirIsRejected() throws IOException {
        RepoLayout layout = RepoLocator.locate(tmp, NO_ENV);

        assertThatThrownBy(() -> RepoLocator.stateDir(layout, Map.of("COORD_STATE_DIR", "a\0b")))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH))
                .hasMessageContaining("COORD_STATE_DIR");
    }

    @Test
    void plainDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plain/sub"));

        RepoLayout layout = RepoLocator.locate(dir, NO_ENV);

        assertThat(layout.git()).isFalse();
        assertThat(layout.root()).isEqualTo(dir.toRealPath());
        assertThat(layout.worktreeRoot()).isEqualTo(dir.toRealPath());
        assertThat(layout.mainWorktreeRoot()).isEqualTo(dir.toRealPath());
        assertThat(layout.gitDir()).isNull();
        assertThat(layout.gitCommonDir()).isNull();
        assertThat(layout.branch()).isNull();
        assertThat(RepoLocator.branch(layout)).isNull();
        assertThat(RepoLocator.stateDir(layout, NO_ENV))
                .isEqualTo(dir.toRealPath().resolve(".claude/coordination"));
        assertThat(RepoLocator.ensureIgnored(layout)).isFalse();
        assertThat(dir.resolve(".git")).doesNotExist();
    }

    @Test
    void emptyDotGitDirectoryIsNotARepository() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plain/.git")).getParent();

        assertThat(RepoLocator.locate(dir, NO_ENV).git()).isFalse();
    }

    @Test
    void missingWorkingDirectoryIsRejected() {
        Path missing = tmp.resolve("missing");

        assertThatThrownBy(() -> RepoLocator.locate(missing, NO_ENV))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH))
                .hasMessageContaining(missing.toString());
    }

    @Test
    void brokenWorktreeLinkIsReported() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("wt"));
        Files.writeString(dir.resolve(".git"), "gitdir: " + tmp.resolve("moved/.git/worktrees/wt") + "\n");

        assertThatThrownBy(() -> RepoLocator.locate(dir, NO_ENV))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH))
                .hasMessageContaining("moved")
                .hasMessageContaining("git worktree repair");
    }

    @Test
    void garbledGitFileIsReported() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("wt"));
        Files.writeString(dir.resolve(".git"), "nonsense\n");

        assertThatThrownBy(() -> RepoLocator.locate(dir, NO_ENV))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH))
                .hasMessageContaining("gitdir:");
    }

    @Test
    void detachedHead() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        GitCli.run(main, "checkout", "-q", "--detach");
        String commit = GitCli.run(main, "rev-parse", "HEAD");

        RepoLayout layout = RepoLocator.locate(main, NO_ENV);

        assertThat(layout.branch()).isEqualTo("detached@" + commit.substring(0, 12));
    }

    @Test
    void branchIsReadAgain() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        GitCli.run(main, "worktree", "add", "-q", "../wt2", "-b", "feature");
        RepoLayout mainLayout = RepoLocator.locate(main, NO_ENV);
        RepoLayout linked = RepoLocator.locate(tmp.resolve("wt2"), NO_ENV);

        GitCli.run(tmp.resolve("wt2"), "checkout", "-q", "-b", "other");

        assertThat(linked.branch()).isEqualTo("feature");
        assertThat(RepoLocator.branch(linked)).isEqualTo("other");
        assertThat(RepoLocator.branch(mainLayout)).isEqualTo("main");
    }

    @Test
    void unbornBranchOfAFreshRepository() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("fresh"));
        GitCli.run(dir, "init", "-q");

        assertThat(RepoLocator.locate(dir, NO_ENV).branch()).isEqualTo("main");
    }

    @Test
    void separateGitDirIsItsOwnMainWorktree() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("sep"));
        GitCli.run(dir, "init", "-q", "--separate-git-dir=" + tmp.resolve("gitdata"));
        GitCli.run(dir, "commit", "-q", "--allow-empty", "-m", "x");

        RepoLayout layout = RepoLocator.locate(dir, NO_ENV);

        assertThat(layout.root()).isEqualTo(dir.toRealPath());
        assertThat(layout.mainWorktreeRoot()).isEqualTo(dir.toRealPath());
        assertThat(layout.gitCommonDir()).isEqualTo(tmp.resolve("gitdata").toRealPath());
        assertMatchesGit(layout, dir);
    }

    @Test
    void worktreeOfABareRepositoryUsesTheCommonDir() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        GitCli.run(tmp, "clone", "-q", "--bare", main.toString(), "bare.git");
        GitCli.run(tmp.resolve("bare.git"), "worktree", "add", "-q", "../wtb", "-b", "feature");
        Path bare = tmp.resolve("bare.git").toRealPath();

        RepoLayout layout = RepoLocator.locate(tmp.resolve("wtb"), NO_ENV);

        assertThat(layout.root()).isEqualTo(tmp.resolve("wtb").toRealPath());
        assertThat(layout.gitCommonDir()).isEqualTo(bare);
        assertThat(layout.mainWorktreeRoot()).isEqualTo(bare);
        assertThat(layout.branch()).isEqualTo("feature");
        assertMatchesGit(layout, tmp.resolve("wtb"));
    }

    @Test
    void ensureIgnoredAddsTheLineOnce() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        RepoLayout layout = RepoLocator.locate(main, NO_ENV);
        Path exclude = main.resolve(".git/info/exclude");
        byte[] before = Files.readAllBytes(exclude);

        assertThat(RepoLocator.ensureIgnored(layout)).isTrue();
        byte[] once = Files.readAllBytes(exclude);
        assertThat(RepoLocator.ensureIgnored(layout)).isFalse();

        assertThat(Files.readAllBytes(exclude)).isEqualTo(once);
        assertThat(new String(once, StandardCharsets.UTF_8))
                .isEqualTo(new String(before, StandardCharsets.UTF_8) + "/.claude/coordination/\n");
        assertThat(main.resolve(".gitignore")).doesNotExist();
    }

    @Test
    void ensureIgnoredHidesTheStateDirOfEveryWorktree() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        GitCli.run(main, "worktree", "add", "-q", "../wt2", "-b", "feature");
        RepoLayout linked = RepoLocator.locate(tmp.resolve("wt2"), NO_ENV);
        Path stateDir = Files.createDirectories(RepoLocator.stateDir(linked, NO_ENV));
        Files.writeString(stateDir.resolve("locks.json"), "{}");
        assertThat(GitCli.run(main, "status", "--porcelain", "--untracked-files=all"))
                .contains(".claude/coordination/locks.json");

        assertThat(RepoLocator.ensureIgnored(linked)).isTrue();

        assertThat(GitCli.run(main, "status", "--porcelain", "--untracked-files=all"))
                .isEmpty();
        assertThat(main.resolve(".git/info/exclude")).content().contains("/.claude/coordination/");
    }

    @Test
    void ensureIgnoredCreatesAMissingExcludeFile() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        Path info = main.resolve(".git/info");
        Files.delete(info.resolve("exclude"));
        Files.delete(info);

        assertThat(RepoLocator.ensureIgnored(RepoLocator.locate(main, NO_ENV))).isTrue();

        assertThat(info.resolve("exclude")).hasContent("/.claude/coordination/\n");
    }

    @Test
    void ensureIgnoredKeepsContentAndAddsAMissingNewline() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        Path exclude = main.resolve(".git/info/exclude");
        Files.write(exclude, "# mine\r\n*.log".getBytes(StandardCharsets.UTF_8));

        assertThat(RepoLocator.ensureIgnored(RepoLocator.locate(main, NO_ENV))).isTrue();

        assertThat(Files.readAllBytes(exclude))
                .isEqualTo("# mine\r\n*.log\n/.claude/coordination/\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void ensureIgnoredAcceptsAnExistingEquivalentLine() throws IOException {
        Path main = GitCli.initRepo(tmp.resolve("main"));
        Path exclude = main.resolve(".git/info/exclude");
        Files.writeString(exclude, "*.log\n  .claude/  \n");

        assertThat(RepoLocator.ensureIgnored(RepoLocator.locate(main, NO_ENV))).isFalse();

        assertThat(exclude).hasContent("*.log\n  .claude/  \n");
    }

    private static void assertMatchesGit(RepoLayout layout, Path cwd) throws IOException {
        assertThat(layout.root())
                .isEqualTo(
                        Path.of(GitCli.run(cwd, "rev-parse", "--show-toplevel")).toRealPath());
        assertThat(layout.gitCommonDir())
                .isEqualTo(Path.of(GitCli.run(cwd, "rev-parse", "--path-format=absolute", "--git-common-dir"))
                        .toRealPath());
        assertThat(layout.gitDir())
                .isEqualTo(Path.of(GitCli.run(cwd, "rev-parse", "--path-format=absolute", "--git-dir"))
                        .toRealPath());
    }
}
