package dev.coord.engine.git;

import java.util.Objects;
import java.util.Set;

/**
 * A live session as the radar sees it.
 *
 * @param instanceId the session's instance id
 * @param worktree absolute path of its worktree
 * @param edited the files it holds edit claims (exclusive file locks) on: what it changes when it shares its worktree
 *     with other sessions, whose uncommitted changes git cannot tell apart
 */
public record SessionWork(String instanceId, String worktree, Set<String> edited) {
    public SessionWork {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(worktree, "worktree");
        edited = Set.copyOf(edited);
    }
}
