package dev.coord.engine.git;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The overlap rules, without git: which paths two live sessions both changed, and whether the merge of their commits
 * conflicts on them.
 *
 * <ul>
 *   <li>Sessions in different worktrees: a session changed what its worktree has uncommitted plus what the commits on
 *       its branch since the merge base with the base branch changed. When both worktrees are on the same commit,
 *       only uncommitted changes count (the commits are the same).
 *   <li>Sessions sharing a worktree: git cannot tell whose uncommitted change is whose. A changed path belongs to the
 *       sessions of that worktree holding an edit claim (exclusive lock) on it, or to all of them when none does;
 *       two sessions of one worktree overlap where both hold claims on a path.
 *   <li>A path's conflict is predicted only when both sides changed it in commits only (nothing uncommitted on it):
 *       true or false from the merge of the two heads, unknown otherwise.
 * </ul>
 */
final class OverlapFinder {
    /** Overlaps kept in one result; the rest is dropped and the result says it was cut. */
    public static final int MAX_OVERLAPS = 500;

    private OverlapFinder() {}

    /**
     * @param changes what each worktree changed, by worktree path; a worktree missing here (not scanned, or git
     *     failed) has no changes
     * @param conflictsOf the paths that merging two heads leaves in conflict, or null when unknown
     */
    public static List<Overlap> find(
            List<SessionWork> sessions,
            Map<String, WorktreeChanges> changes,
            BiFunction<String, String, Set<String>> conflictsOf) {
        Map<String, List<SessionWork>> byWorktree = new HashMap<>();
        for (SessionWork s : sessions) {
            byWorktree.computeIfAbsent(s.worktree(), k -> new ArrayList<>()).add(s);
        }
        List<SessionWork> sorted = new ArrayList<>(sessions);
        sorted.sort(Comparator.comparing(SessionWork::instanceId));
        Map<String, Set<String>> mineUncommitted = new HashMap<>();
        for (SessionWork s : sorted) {
            mineUncommitted.put(s.instanceId(), uncommittedOf(s, byWorktree.get(s.worktree()), changes));
        }
        List<Overlap> out = new ArrayList<>();
        Map<String, Set<String>> predictions = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            SessionWork s = sorted.get(i);
            for (int j = i + 1; j < sorted.size(); j++) {
                SessionWork t = sorted.get(j);
                if (s.worktree().equals(t.worktree())) {
                    for (String p : new TreeSet<>(intersect(s.edited(), t.edited()))) {
                        out.add(new Overlap(p, s.instanceId(), t.instanceId(), null));
                    }
                    continue;
                }
                WorktreeChanges cs = changes.get(s.worktree());
                WorktreeChanges ct = changes.get(t.worktree());
                if (cs == null || ct == null) {
                    continue;
                }
                Set<String> us = mineUncommitted.get(s.instanceId());
                Set<String> ut = mineUncommitted.get(t.instanceId());
                boolean sameHead = cs.head() != null && cs.head().equals(ct.head());
                Set<String> as = sameHead ? us : union(us, cs.committed());
                Set<String> at = sameHead ? ut : union(ut, ct.committed());
                for (String p : new TreeSet<>(intersect(as, at))) {
                    Boolean conflict = null;
                    if (!sameHead && !us.contains(p) && !ut.contains(p)) {
                        String key = cs.head() + ".." + ct.head();
                        Set<String> predicted = predictions.containsKey(key)
                                ? predictions.get(key)
                                : conflictsOf.apply(cs.head(), ct.head());
                        predictions.put(key, predicted);
                        conflict = predicted == null ? null : predicted.contains(p);
                    }
                    out.add(new Overlap(p, s.instanceId(), t.instanceId(), conflict));
                }
            }
        }
        out.sort(Comparator.comparing(Overlap::path).thenComparing(Overlap::a).thenComparing(Overlap::b));
        return out.size() > MAX_OVERLAPS ? List.copyOf(out.subList(0, MAX_OVERLAPS)) : out;
    }

    private static Set<String> uncommittedOf(
            SessionWork s, List<SessionWork> sameTree, Map<String, WorktreeChanges> changes) {
        WorktreeChanges c = changes.get(s.worktree());
        if (c == null) {
            return Set.of();
        }
        if (sameTree.size() < 2) {
            return c.uncommitted();
        }
        Set<String> mine = new HashSet<>();
        for (String p : c.uncommitted()) {
            boolean claimedByAnyone = false;
            for (SessionWork o : sameTree) {
                claimedByAnyone |= o.edited().contains(p);
            }
            if (!claimedByAnyone || s.edited().contains(p)) {
                mine.add(p);
            }
        }
        return mine;
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        Set<String> out = new HashSet<>();
        for (String p : small) {
            if (large.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
