package dev.coord.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The radar's git never takes or writes a session's index: a plain {@code git status} refreshes a stale index and
 * writes it back under {@code index.lock}, which makes the session's own {@code git add} or {@code git commit} fail
 * if they meet; coord's runs with {@code GIT_OPTIONAL_LOCKS=0}.
 */
class GitOptionalLocksTest {
    @TempDir
    Path repo;

    Path index;

    @BeforeEach
    void setUp() throws Exception {
        RadarGitTest.git(repo, "init", "-q");
        for (int i = 0; i < 20; i++) {
            Files.writeString(repo.resolve("f" + i + ".txt"), "x" + i + "\n");
        }
        RadarGitTest.git(repo, "add", ".");
        RadarGitTest.git(repo, "commit", "-qm", "init");
        index = repo.resolve(".git/index");
        // the files' stat data no longer match the index: a status that may write refreshes and rewrites it
        Instant later = Instant.now().plus(Duration.ofMinutes(5));
        for (int i = 0; i < 20; i++) {
            Files.setLastModifiedTime(repo.resolve("f" + i + ".txt"), FileTime.from(later));
        }
        Files.setLastModifiedTime(index, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
    }

    @Test
    void theRadarsStatusLeavesAStaleIndexAlone() throws Exception {
        FileTime before = Files.getLastModifiedTime(index);
        byte[] bytes = Files.readAllBytes(index);
        WorktreeChanges c = new WorktreeScanner(new Git()).scan(repo, null);
        assertThat(c.uncommitted()).isEmpty();
        assertThat(Files.getLastModifiedTime(index)).isEqualTo(before);
        assertThat(Files.readAllBytes(index)).isEqualTo(bytes);

        // the control: git status as a session runs it rewrites the index (so the check above can fail)
        RadarGitTest.git(repo, "status", "--porcelain");
        assertThat(Files.getLastModifiedTime(index)).isNotEqualTo(before);
    }

    @Test
    void theRadarWorksWhileASessionHoldsTheIndexLock() throws Exception {
        Path lock = repo.resolve(".git/index.lock");
        Files.writeString(lock, "a commit in progress");
        Files.writeString(repo.resolve("f3.txt"), "changed\n");
        WorktreeChanges c = new WorktreeScanner(new Git()).scan(repo, null);
        assertThat(c.uncommitted()).containsExactly("f3.txt");
        assertThat(Files.readString(lock)).isEqualTo("a commit in progress");
    }
}
