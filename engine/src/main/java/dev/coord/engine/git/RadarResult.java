package dev.coord.engine.git;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run of the overlap radar; this is also the content of the shared cache file.
 *
 * @param computedAt when the run started
 * @param tookMs how long git and the comparison took
 * @param git the git version; {@code predicted} is false below 2.38
 * @param predicted whether conflicts could be predicted at all
 * @param base the base branch the commits were compared with, or null when none was found
 * @param sessions the inputs: each session's worktree, by instance id (a result is reused only for the same ones)
 * @param changes what each worktree changed (the edit guard looks a file up here)
 * @param overlaps the overlaps found, by path
 * @param cut whether a worktree's list or the overlaps were cut at their bound
 * @param problems worktrees git could not read, and why
 */
public record RadarResult(
        Instant computedAt,
        long tookMs,
        String git,
        boolean predicted,
        String base,
        Map<String, String> sessions,
        List<WorktreeChanges> changes,
        List<Overlap> overlaps,
        boolean cut,
        List<String> problems) {
    public RadarResult {
        sessions = Map.copyOf(sessions);
        changes = changes == null ? List.of() : List.copyOf(changes);
        overlaps = List.copyOf(overlaps);
        problems = List.copyOf(problems);
    }

    /** The overlaps that concern one session. */
    public List<Overlap> of(String instanceId) {
        return overlaps.stream().filter(o -> o.involves(instanceId)).toList();
    }

    /** The changes of one worktree, if it was scanned. */
    public java.util.Optional<WorktreeChanges> changesOf(String worktree) {
        return changes.stream().filter(c -> c.worktree().equals(worktree)).findFirst();
    }
}
