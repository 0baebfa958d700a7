package dev.coord.engine.repo;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a coord server works: the repository (or plain directory) whose files it locks, and the git
 * facts around it. Found by {@link RepoLocator#locate}; all paths are absolute real paths.
 *
 * @param root the directory lock keys are relative to: the top level of the git worktree, or a plain
 *     directory when there is no git repository
 * @param worktreeRoot the top level of the current worktree; the same as {@code root}
 * @param mainWorktreeRoot the main worktree of the repository, shared by all its linked worktrees (the
 *     common git dir itself for a bare repository; {@code root} when not a git repository)
 * @param gitDir this worktree's own git dir, which holds its {@code HEAD}; null when not a git repository
 * @param gitCommonDir the git dir shared by all worktrees; null when not a git repository
 * @param branch the checked-out branch, {@code detached@<12 hex>} for a detached HEAD, null when not a
 *     git repository or HEAD is unreadable; a snapshot, see {@link RepoLocator#branch}
 * @param git whether {@code root} is inside a git repository
 */
public record RepoLayout(
        Path root,
        Path worktreeRoot,
        Path mainWorktreeRoot,
        Path gitDir,
        Path gitCommonDir,
        String branch,
        boolean git) {

    public RepoLayout {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(worktreeRoot, "worktreeRoot");
        Objects.requireNonNull(mainWorktreeRoot, "mainWorktreeRoot");
        if (git != (gitDir != null) || git != (gitCommonDir != null)) {
            throw new IllegalArgumentException(
                    "gitDir and gitCommonDir must be set exactly when git is true: " + gitDir + ", " + gitCommonDir);
        }
    }
}
