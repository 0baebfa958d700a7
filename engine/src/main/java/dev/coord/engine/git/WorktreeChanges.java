package dev.coord.engine.git;

import java.util.Set;

/**
 * What one worktree has changed, seen by git.
 *
 * @param worktree absolute path of the worktree
 * @param head the commit checked out, or null (no commit yet, or git failed)
 * @param uncommitted paths changed in the worktree or the index, untracked files included, relative to the worktree
 * @param committed paths changed by the commits on HEAD that are not on the base branch (since their merge base)
 * @param cut whether a list was cut at {@link WorktreeScanner#MAX_PATHS} paths
 */
public record WorktreeChanges(
        String worktree, String head, Set<String> uncommitted, Set<String> committed, boolean cut) {
    public WorktreeChanges {
        uncommitted = Set.copyOf(uncommitted);
        committed = Set.copyOf(committed);
    }
}
