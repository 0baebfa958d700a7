package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole picture for a person or a script ({@code coord status --json}, the dashboard), built from an anonymous read
 * of the store: nothing is registered and no lease is renewed. Unlike the model's {@code status} ({@link StatusReport})
 * it is not capped: a terminal is not a context window. Its lock and decision lines are the status tool's records
 * ({@link StatusReport.LockLine}, {@link StatusReport.DecisionLine}) with the fields a person reads.
 *
 * @param at when the state was read
 * @param repository the repository root
 * @param stateDir the state directory
 * @param store the store that holds the state, e.g. {@code file:/repo/.claude/coordination} or
 *     {@code postgresql://coord@db:5432/coord project github.com/owner/repo}; null when none exists yet
 * @param instances live instances, oldest first
 * @param locks valid locks, oldest first
 * @param waiting calls queued for locks
 * @param recentDecisions newest decisions first
 * @param missions the missions folder, or null when there is none
 * @param problems state problems the store found and repaired
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusView(
        Instant at,
        String repository,
        String stateDir,
        String store,
        List<InstanceView> instances,
        List<StatusReport.LockLine> locks,
        int waiting,
        List<StatusReport.DecisionLine> recentDecisions,
        MissionsView missions,
        List<String> problems) {

    public static final int RECENT = 5;
    public static final int RECENT_VERBOSE = 20;

    /** A live instance and the keys it holds. {@code heartbeatAgeS}: seconds since its last heartbeat. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceView(
            String instanceId,
            String role,
            String task,
            String branch,
            String worktree,
            String host,
            long pid,
            String sessionId,
            Instant startedAt,
            long heartbeatAgeS,
            List<String> locks) {}

    /**
     * @param recent the decisions to list, newest first
     * @param problems state problems the store found and repaired
     */
    public static StatusView of(
            String repository,
            String stateDir,
            String store,
            Snapshot snap,
            List<Decision> recent,
            List<String> problems) {
        Map<String, Instance> byId = new HashMap<>();
        snap.instances().forEach(i -> byId.put(i.id(), i));
        List<LockRecord> sortedLocks = new ArrayList<>(snap.locks());
        sortedLocks.sort(Comparator.comparing(LockRecord::acquiredAt).thenComparing(LockRecord::path));
        Map<String, List<String>> held = new HashMap<>();
        List<StatusReport.LockLine> locks = new ArrayList<>();
        for (LockRecord l : sortedLocks) {
            held.computeIfAbsent(l.holder(), k -> new ArrayList<>()).add(l.path());
            Instance h = byId.get(l.holder());
            locks.add(StatusReport.LockLine.full(l, h));
        }
        List<Instance> sortedInstances = new ArrayList<>(snap.instances());
        sortedInstances.sort(Comparator.comparing(Instance::startedAt).thenComparing(Instance::id));
        List<InstanceView> instances = new ArrayList<>();
        for (Instance i : sortedInstances) {
            instances.add(new InstanceView(
                    i.id(),
                    i.role(),
                    i.task(),
                    i.branch(),
                    i.worktree(),
                    i.host(),
                    i.pid(),
                    i.sessionId(),
                    Views.seconds(i.startedAt()),
                    Math.max(0, Duration.between(i.lastHeartbeat(), snap.at()).toSeconds()),
                    held.getOrDefault(i.id(), List.of())));
        }
        List<StatusReport.DecisionLine> decisions = new ArrayList<>();
        for (Decision d : recent) {
            decisions.add(StatusReport.DecisionLine.full(d));
        }
        return new StatusView(
                Views.seconds(snap.at()),
                repository,
                stateDir,
                store,
                instances,
                locks,
                snap.waiters().size(),
                decisions,
                null,
                problems.isEmpty() ? null : problems);
    }

    /** The same picture with the missions folder (null when there is none). */
    public StatusView withMissions(MissionsView m) {
        return new StatusView(at, repository, stateDir, store, instances, locks, waiting, recentDecisions, m, problems);
    }
}
