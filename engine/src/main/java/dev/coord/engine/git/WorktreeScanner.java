package dev.coord.engine.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks git what a worktree changed: {@code git status} for the uncommitted changes, {@code git diff base...HEAD} for
 * the commits not on the base branch. Each list stops at {@link #MAX_PATHS} paths, so that a worktree with a huge
 * change (a generated tree, a mass rename) costs bounded memory and comparison time.
 */
final class WorktreeScanner {
    public static final int MAX_PATHS = 2_000;

    private final Git git;

    public WorktreeScanner(Git git) {
        this.git = git;
    }

    /**
     * @param base the base branch or commit (see {@link #resolveBase}); null when there is none: no committed changes
     */
    public WorktreeChanges scan(Path worktree, String base) throws IOException {
        Git.Result head = git.run(worktree, "rev-parse", "-q", "--verify", "HEAD");
        String headSha = head.ok() ? head.out().strip() : null;
        boolean[] cut = {false};
        Set<String> uncommitted = new LinkedHashSet<>();
        Git.Result status =
                git.run(worktree, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames");
        if (!status.ok()) {
            throw new IOException("git status exited with " + status.exit() + " in " + worktree);
        }
        for (String entry : status.zList()) {
            // "XY path"; with --no-renames no second path follows
            if (entry.length() > 3) {
                add(uncommitted, entry.substring(3), cut);
            }
        }
        cut[0] |= status.cut();
        Set<String> committed = new LinkedHashSet<>();
        if (headSha != null && base != null) {
            Git.Result diff = git.run(worktree, "diff", "--name-only", "-z", "--no-renames", base + "...HEAD", "--");
            if (diff.ok()) {
                for (String p : diff.zList()) {
                    add(committed, p, cut);
                }
                cut[0] |= diff.cut();
            }
        }
        return new WorktreeChanges(worktree.toString(), headSha, uncommitted, committed, cut[0]);
    }

    private static void add(Set<String> set, String path, boolean[] cut) {
        if (set.size() < MAX_PATHS) {
            set.add(path);
        } else {
            cut[0] = true;
        }
    }

    /**
     * The base branch: {@code configured} when given (e.g. {@code COORD_BASE_BRANCH}), else the branch
     * {@code origin/HEAD} points at (the local branch of that name when there is one), else {@code main}, else
     * {@code master}; null when none exists.
     */
    public String resolveBase(Path worktree, String configured) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return exists(worktree, configured.strip()) ? configured.strip() : null;
        }
        Git.Result remoteHead = git.run(worktree, "symbolic-ref", "-q", "refs/remotes/origin/HEAD");
        if (remoteHead.ok()) {
            String ref = remoteHead.out().strip();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            if (exists(worktree, "refs/heads/" + name)) {
                return name;
            }
            if (exists(worktree, ref)) {
                return ref;
            }
        }
        for (String name : List.of("main", "master")) {
            if (exists(worktree, "refs/heads/" + name)) {
                return name;
            }
        }
        return null;
    }

    private boolean exists(Path worktree, String ref) throws IOException {
        return git.run(worktree, "rev-parse", "-q", "--verify", ref + "^{commit}")
                .ok();
    }
}
