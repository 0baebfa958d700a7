package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import java.time.Instant;
import java.util.List;

/**
 * What a session needs to know about the others and the missions, compact enough for a model's context: lists are capped and the
 * rest is counted.
 *
 * @param you this session
 * @param instances the other live sessions
 * @param locks when the call named paths: the other sessions' locks on them (the overview names a few paths per
 *     session in {@link InstanceLine#holds()} instead)
 * @param paths when the call named paths: the verdict for each
 * @param recentDecisions newest decisions
 * @param missions the missions folder at a glance (left out when there is none, or when the call named paths)
 * @param moreInstances instances left out of the list (left out of the JSON when 0, like the empty lists)
 * @param moreLocks when the call named paths: locks left out of the list (left out of the JSON when 0)
 * @param waiting how many calls are queued for locks (left out of the JSON when 0)
 * @param notices what happened to this session's locks since its last call
 * @param problems state problems found and repaired (e.g. a corrupt file set aside)
 * @param overlaps files this session and another live session both changed (the git radar), with the merge
 *     conflict predicted when both changes are committed; left out when there are none
 * @param store where the shared state lives ({@link dev.coord.engine.store.CoordStore#describe()}); left out when the
 *     call named paths
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StatusReport(
        You you,
        List<InstanceLine> instances,
        List<LockLine> locks,
        List<PathLine> paths,
        List<DecisionLine> recentDecisions,
        MissionViews.Overview missions,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int moreInstances,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int moreLocks,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int waiting,
        List<String> notices,
        List<String> problems,
        List<OverlapLine> overlaps,
        String store) {

    /**
     * This session and its locks (the first {@link StatusService#MAX_OWN_LOCKS}; {@code moreLocks} counts the rest),
     * and when the first of its leases ends ({@code expiresAt}; any coord call renews them).
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record You(
            String instanceId,
            String task,
            String role,
            String branch,
            String worktree,
            List<OwnLock> locks,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int moreLocks,
            Instant expiresAt) {}

    /**
     * One of this session's locks: its path; {@code mode} only when shared; {@code changed} only when the file
     * differs from what it was at grant; {@code auto} true for an edit claim (taken by the edit hook), left out
     * otherwise.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OwnLock(String path, LockMode mode, Boolean changed, Boolean auto) {}

    /**
     * Another live session; branch, worktree and host only when they differ from the caller's.
     * {@code heartbeatAgeS}: seconds since its heartbeat, only when it is late (over two heartbeats); {@code locks}: how many it holds; {@code holds}: the first
     * few of their paths (in the overview only).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceLine(
            String instanceId,
            String task,
            String role,
            String branch,
            String worktree,
            String host,
            Long heartbeatAgeS,
            int locks,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> holds) {}

    /**
     * A lock; {@code auto} is true for an edit claim, left out otherwise. The status tool shows another session's lock
     * ({@code task}: the holder's, clipped, in path verdicts only); the view for people ({@link StatusView}) shows every
     * lock in full with {@code holderTask} and {@code acquiredAt} instead. A field one of them leaves out is null.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LockLine(
            String path,
            LockMode mode,
            String holder,
            String task,
            String holderTask,
            long token,
            Instant acquiredAt,
            Instant expiresAt,
            String reason,
            Boolean auto) {

        /** For the model: times to the second, free text clipped; {@code task} only when {@code withTask}. */
        static LockLine brief(LockRecord l, Instance holder, boolean withTask) {
            return new LockLine(
                    l.path(),
                    l.mode(),
                    l.holder(),
                    withTask && holder != null ? StatusReports.clip(holder.task()) : null,
                    null,
                    l.token(),
                    null,
                    Views.seconds(l.expiresAt()),
                    StatusReports.clip(l.reason()),
                    l.auto() ? Boolean.TRUE : null);
        }

        /** For people: the holder's task and the grant time too, nothing clipped. */
        static LockLine full(LockRecord l, Instance holder) {
            return new LockLine(
                    l.path(),
                    l.mode(),
                    l.holder(),
                    null,
                    holder == null ? null : holder.task(),
                    l.token(),
                    Views.seconds(l.acquiredAt()),
                    Views.seconds(l.expiresAt()),
                    l.reason(),
                    l.auto() ? Boolean.TRUE : null);
        }
    }

    /** The verdict for a path the caller asked about: {@code free}, {@code yours} or {@code held}. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record PathLine(String path, String state, List<LockLine> heldBy) {}

    /**
     * A file this session and another one both changed. {@code worktree} only when not this session's;
     * {@code conflict}: {@code true}, {@code false} or {@code unknown}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OverlapLine(String path, String with, String task, String worktree, String conflict) {}

    /**
     * A decision in one line: for the model its title clipped and {@code at}; for people ({@link StatusView}) its
     * {@code scope} and {@code createdAt} instead. A field one of them leaves out is null.
     */
    public record DecisionLine(String id, String category, String title, String scope, Instant createdAt, Instant at) {

        static DecisionLine brief(Decision d) {
            return new DecisionLine(
                    d.id(), d.category(), StatusReports.clip(d.title()), null, null, Views.seconds(d.createdAt()));
        }

        static DecisionLine full(Decision d) {
            return new DecisionLine(d.id(), d.category(), d.title(), d.scope(), Views.seconds(d.createdAt()), null);
        }
    }
}
