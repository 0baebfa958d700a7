package dev.coord.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The radar on real git repositories with linked worktrees and branches. */
class RadarGitTest {
    @TempDir
    Path dir;

    Path main;
    Path wtA;
    Path wtB;
    final Clock clock = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    static String git(Path in, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "git",
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(in.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    static String lines(String... replace) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            String l = "line " + i;
            for (int k = 0; k + 1 < replace.length; k += 2) {
                if (replace[k].equals(String.valueOf(i))) {
                    l = replace[k + 1];
                }
            }
            b.append(l).append('\n');
        }
        return b.toString();
    }

    @BeforeEach
    void repo() throws Exception {
        main = dir.resolve("main");
        Files.createDirectories(main);
        git(main, "init", "-q");
        Files.writeString(main.resolve("shared.txt"), lines());
        Files.writeString(main.resolve("other.txt"), lines());
        git(main, "add", ".");
        git(main, "commit", "-qm", "init");
        wtA = dir.resolve("wt-a");
        wtB = dir.resolve("wt-b");
        git(main, "worktree", "add", "-q", "-b", "a", wtA.toString());
        git(main, "worktree", "add", "-q", "-b", "b", wtB.toString());
    }

    List<SessionWork> sessions() {
        return List.of(
                new SessionWork("claude-a", wtA.toString(), Set.of()),
                new SessionWork("claude-b", wtB.toString(), Set.of()));
    }

    RadarResult run(GitVersion version) {
        return new Radar(new Git(), "h", null, clock, version).run(sessions());
    }

    @Test
    void uncommittedChangesToOneFileOverlapWithoutAPrediction() throws Exception {
        Files.writeString(wtA.resolve("shared.txt"), lines("1", "A"));
        Files.writeString(wtB.resolve("shared.txt"), lines("1", "B"));
        Files.writeString(wtB.resolve("new-in-b.txt"), "b");
        RadarResult r = run(null);
        assertThat(r.problems()).isEmpty();
        assertThat(r.base()).isEqualTo("main");
        assertThat(r.overlaps()).containsExactly(new Overlap("shared.txt", "claude-a", "claude-b", null));
        assertThat(r.of("claude-a")).hasSize(1);
        assertThat(r.of("claude-x")).isEmpty();
    }

    @Test
    void committedTextualConflictIsPredicted() throws Exception {
        Files.writeString(wtA.resolve("shared.txt"), lines("1", "A"));
        git(wtA, "commit", "-qam", "a");
        Files.writeString(wtB.resolve("shared.txt"), lines("1", "B"));
        git(wtB, "commit", "-qam", "b");
        RadarResult r = run(null);
        assertThat(r.predicted()).isTrue();
        assertThat(r.overlaps()).containsExactly(new Overlap("shared.txt", "claude-a", "claude-b", true));
    }

    @Test
    void changesInDifferentHunksOverlapWithoutConflict() throws Exception {
        Files.writeString(wtA.resolve("shared.txt"), lines("1", "A"));
        git(wtA, "commit", "-qam", "a");
        Files.writeString(wtB.resolve("shared.txt"), lines("18", "B"));
        git(wtB, "commit", "-qam", "b");
        assertThat(run(null).overlaps()).containsExactly(new Overlap("shared.txt", "claude-a", "claude-b", false));
    }

    @Test
    void anOlderGitReportsTheOverlapAsUnknown() throws Exception {
        Files.writeString(wtA.resolve("shared.txt"), lines("1", "A"));
        git(wtA, "commit", "-qam", "a");
        Files.writeString(wtB.resolve("shared.txt"), lines("1", "B"));
        git(wtB, "commit", "-qam", "b");
        RadarResult r = run(new GitVersion(2, 37));
        assertThat(r.predicted()).isFalse();
        assertThat(r.git()).isEqualTo("2.37");
        assertThat(r.overlaps()).containsExactly(new Overlap("shared.txt", "claude-a", "claude-b", null));
    }

    @Test
    void aMergedBranchNoLongerOverlaps() throws Exception {
        Files.writeString(wtA.resolve("shared.txt"), lines("1", "A"));
        git(wtA, "commit", "-qam", "a");
        Files.writeString(wtB.resolve("shared.txt"), lines("18", "B"));
        git(wtB, "commit", "-qam", "b");
        assertThat(run(null).overlaps()).hasSize(1);
        git(main, "merge", "-q", "--no-edit", "b");
        assertThat(run(null).overlaps()).isEmpty();
    }

    @Test
    void aCommitOnOneSideAndAnEditOnTheOtherOverlap() throws Exception {
        Files.writeString(wtA.resolve("other.txt"), lines("3", "A"));
        git(wtA, "commit", "-qam", "a");
        Files.writeString(wtB.resolve("other.txt"), lines("3", "B"));
        assertThat(run(null).overlaps()).containsExactly(new Overlap("other.txt", "claude-a", "claude-b", null));
    }

    @Test
    void sessionsSharingAWorktreeOverlapOnlyThroughTheirEditClaims() throws Exception {
        Files.writeString(wtA.resolve("shared.txt"), lines("1", "A"));
        Files.writeString(wtA.resolve("other.txt"), lines("1", "A"));
        Files.writeString(wtB.resolve("shared.txt"), lines("1", "B"));
        Files.writeString(wtB.resolve("other.txt"), lines("1", "B"));
        List<SessionWork> s = List.of(
                new SessionWork("claude-a1", wtA.toString(), Set.of("shared.txt")),
                new SessionWork("claude-a2", wtA.toString(), Set.of("other.txt")),
                new SessionWork("claude-b", wtB.toString(), Set.of()));
        RadarResult r = new Radar(new Git(), "h", null, clock).run(s);
        assertThat(r.overlaps())
                .containsExactly(
                        new Overlap("other.txt", "claude-a2", "claude-b", null),
                        new Overlap("shared.txt", "claude-a1", "claude-b", null));
    }

    @Test
    void aConfiguredBaseBranchIsUsed() throws Exception {
        git(main, "branch", "trunk");
        Files.writeString(wtA.resolve("shared.txt"), lines("1", "A"));
        git(wtA, "commit", "-qam", "a");
        RadarResult r = new Radar(new Git(), "h", "trunk", clock).run(sessions());
        assertThat(r.base()).isEqualTo("trunk");
        assertThat(new WorktreeScanner(new Git()).scan(wtA, "trunk").committed())
                .containsExactly("shared.txt");
        assertThat(new Radar(new Git(), "h", "no-such-branch", clock)
                        .run(sessions())
                        .base())
                .isNull();
    }

    @Test
    void versionsParse() {
        assertThat(GitVersion.parse("git version 2.39.5").predictsConflicts()).isTrue();
        assertThat(GitVersion.parse("git version 2.38.0.windows.1").predictsConflicts())
                .isTrue();
        assertThat(GitVersion.parse("git version 2.37.1 (Apple Git-137)").predictsConflicts())
                .isFalse();
        assertThat(GitVersion.parse("nonsense").predictsConflicts()).isFalse();
    }
}
