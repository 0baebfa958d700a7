package dev.coord.engine.git;

import dev.coord.engine.model.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * For the edit guard: which other live sessions, in other worktrees, have already changed a file a session is about to
 * edit (uncommitted, or committed on their branch and not merged), according to the newest radar result. Sessions in
 * the caller's own worktree are left out: there the edit claims (locks) speak.
 */
public final class ChangedElsewhere {
    private static final int MAX_LISTED = 3;

    private ChangedElsewhere() {}

    /**
     * @param key the repository-relative path about to be edited
     * @param myWorktree the caller's worktree
     * @param isCaller whether an instance is the calling session
     * @param live the live instances by id
     * @return one line per other session that changed the file; empty when none did (or the radar has not run)
     */
    public static List<String> lines(
            RadarResult radar,
            String key,
            String myWorktree,
            java.util.function.Predicate<Instance> isCaller,
            Map<String, Instance> live) {
        List<String> out = new ArrayList<>();
        if (radar == null) {
            return out;
        }
        for (Map.Entry<String, String> s : radar.sessions().entrySet()) {
            Instance other = live.get(s.getKey());
            if (other == null || isCaller.test(other) || Objects.equals(s.getValue(), myWorktree)) {
                continue;
            }
            WorktreeChanges c = radar.changesOf(s.getValue()).orElse(null);
            if (c == null) {
                continue;
            }
            String how = how(c, key, other.branch());
            if (how == null) {
                continue;
            }
            if (out.size() == MAX_LISTED) {
                out.add("and others");
                break;
            }
            out.add(key + " " + how + " by " + other.id() + (other.task() == null ? "" : " (" + other.task() + ")")
                    + " in " + other.worktree());
        }
        return out;
    }

    private static String how(WorktreeChanges c, String key, String branch) {
        Set<String> unc = c.uncommitted();
        if (unc.contains(key)) {
            return "has uncommitted changes";
        }
        if (c.committed().contains(key)) {
            return "was changed on " + (branch == null ? "another branch" : "branch " + branch) + ", not merged yet,";
        }
        return null;
    }
}
