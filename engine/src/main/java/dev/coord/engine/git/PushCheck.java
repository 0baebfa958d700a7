package dev.coord.engine.git;

import dev.coord.engine.model.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the pre-push hook checks: would the pushed commit conflict with the commit another live session's worktree has
 * checked out? One {@code git merge-tree} per other worktree; uncommitted changes are not seen.
 */
public final class PushCheck {
    /** A predicted conflict with one other session. */
    public record Clash(Instance other, Set<String> files) {}

    private final Git git;
    private final ConflictPredictor predictor;

    public PushCheck(Git git, ConflictPredictor predictor) {
        this.git = git;
        this.predictor = predictor;
    }

    public boolean available() {
        return predictor.available();
    }

    /**
     * @param repo any worktree of the repository
     * @param pushed the commit being pushed
     * @param others the other live sessions (this host only: their worktrees must be readable here)
     */
    public List<Clash> clashes(Path repo, String pushed, List<Instance> others) throws IOException {
        List<Clash> out = new ArrayList<>();
        if (!predictor.available()) {
            return out;
        }
        for (Instance i : others) {
            Path wt;
            try {
                wt = i.worktree() == null ? null : Path.of(i.worktree());
            } catch (InvalidPathException e) {
                continue;
            }
            if (wt == null || !Files.isDirectory(wt)) {
                continue;
            }
            Git.Result head = git.run(wt, "rev-parse", "-q", "--verify", "HEAD");
            if (!head.ok() || head.out().strip().equals(pushed)) {
                continue;
            }
            Set<String> files = predictor.conflicts(repo, pushed, head.out().strip());
            if (files != null && !files.isEmpty()) {
                out.add(new Clash(i, new TreeSet<>(files)));
            }
        }
        return out;
    }
}
