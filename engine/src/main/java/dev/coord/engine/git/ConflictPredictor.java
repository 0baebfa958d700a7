package dev.coord.engine.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Predicts which files merging two commits would leave in conflict, with {@code git merge-tree --write-tree}
 * (git 2.38+): a real three-way merge in memory that touches no worktree, index or ref. With an older git it cannot
 * predict and says so ({@link #conflicts} answers null: unknown).
 */
public final class ConflictPredictor {
    private final Git git;
    private final GitVersion version;

    public ConflictPredictor(Git git, GitVersion version) {
        this.git = git;
        this.version = version;
    }

    public boolean available() {
        return version.predictsConflicts();
    }

    public GitVersion version() {
        return version;
    }

    /**
     * @return the paths that would conflict when merging {@code a} and {@code b} (empty: a clean merge), or null when
     *     it cannot tell (older git, unknown commit, git failed)
     */
    public Set<String> conflicts(Path repo, String a, String b) throws IOException {
        if (!available() || a == null || b == null) {
            return null;
        }
        Git.Result r = git.run(repo, "merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", a, b);
        if (r.exit() != 0 && r.exit() != 1) {
            return null;
        }
        Set<String> files = new HashSet<>();
        boolean first = true;
        for (String s : r.zList()) {
            if (first) {
                first = false; // the tree id of the merge result
                continue;
            }
            files.add(s);
        }
        return r.exit() == 1 && files.isEmpty() ? null : files;
    }
}
