package dev.coord.engine.store.rules;

import dev.coord.engine.ErrorCode;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.Conflict;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.HolderRef;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.NotHeld;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseMark;
import dev.coord.engine.model.ReleaseOutcome;
import dev.coord.engine.model.Released;
import dev.coord.engine.model.Waiter;
import dev.coord.engine.path.LockKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The lock and registry rules, applied to one {@link State} inside one transaction. Pure: no I/O, time comes from
 * the state. Every store runs them under its cross-process exclusion, so that all stores behave alike.
 */
public final class Rules {
    public static final Duration TOMBSTONE_KEEP = Duration.ofHours(24);
    public static final int TOMBSTONE_MAX = 200;
    /** Release marks a store keeps at most (the least recently released are dropped first). */
    public static final int RELEASE_MARK_MAX = 10_000;
    /** A lease (or heartbeat) is rewritten only when it moved by at least this much: saves writes on busy callers. */
    public static final Duration REFRESH_GRANULARITY = Duration.ofSeconds(1);

    private final LivenessJudge judge;
    /**
     * A stored heartbeat is rewritten only when it moved by at least this much: {@link #REFRESH_GRANULARITY}, but
     * never more than a quarter of the stale timeout. Otherwise a process beating on schedule can leave a stored
     * heartbeat older than the stale timeout (up to granularity plus one interval) and be reaped while alive.
     */
    private final Duration heartbeatGranularity;

    public Rules(LivenessJudge judge) {
        this.judge = Objects.requireNonNull(judge, "judge");
        Duration quarter = judge.staleAfter().dividedBy(4);
        this.heartbeatGranularity = quarter.compareTo(REFRESH_GRANULARITY) < 0 ? quarter : REFRESH_GRANULARITY;
    }

    /**
     * Registers or refreshes the caller and collects what it must be told. Runs before {@link #sweep} so that a
     * caller is never reaped by its own call.
     *
     * @return notices for the caller, drained from the state
     */
    public List<Notice> enter(State s, Instance caller, boolean renewLeases) {
        Instance known = s.instances.get(caller.id());
        List<Notice> out = new ArrayList<>();
        // nobody beat for a whole stale timeout: the host slept or the clock jumped forward, even when the caller is
        // new (a session starting first after the wake-up must not reap every other one)
        boolean hostWasAsleep = everyoneSilent(s);
        if (known == null) {
            Tombstone stone = removeTombstone(s, caller.id());
            if (stone != null) {
                if (stone.locks().isEmpty()) {
                    out.add(new Notice(Notice.Kind.DECLARED_DEAD, null, 0, null, stone.reason(), stone.at()));
                }
                for (LockRecord lost : stone.locks()) {
                    out.add(new Notice(
                            Notice.Kind.DECLARED_DEAD, lost.path(), lost.token(), null, stone.reason(), stone.at()));
                }
                s.audit(
                        "revive",
                        caller.id(),
                        null,
                        null,
                        Map.of("declared_dead_at", stone.at().toString()));
            } else {
                s.audit("register", caller.id(), null, null, details(caller));
            }
            s.instances.put(caller.id(), caller.withHeartbeat(s.now));
            s.registryDirty = true;
        } else {
            hostWasAsleep |= Duration.between(known.lastHeartbeat(), s.now).compareTo(judge.staleAfter()) > 0;
            Instance merged = caller.withHeartbeat(known.lastHeartbeat());
            boolean changed = !merged.equals(known);
            // abs: after the clock jumped back, a stored heartbeat "in the future" must follow it, or the instance
            // would count as alive for the length of the jump after it stopped beating
            if (changed || Duration.between(known.lastHeartbeat(), s.now).abs().compareTo(heartbeatGranularity) >= 0) {
                s.instances.put(caller.id(), caller.withHeartbeat(s.now));
                s.registryDirty = true;
            }
        }
        drainNotices(s, caller.id(), out);
        if (renewLeases) {
            renew(s, caller.id());
        }
        sweep(s, hostWasAsleep);
        // what this sweep found about the caller's own locks (an expired lease) is told now, not at its next call
        drainNotices(s, caller.id(), out);
        return out;
    }

    private boolean everyoneSilent(State s) {
        if (s.instances.isEmpty()) {
            return false;
        }
        for (Instance i : s.instances.values()) {
            if (Duration.between(i.lastHeartbeat(), s.now).compareTo(judge.staleAfter()) <= 0) {
                return false;
            }
        }
        return true;
    }

    private static void drainNotices(State s, String instanceId, List<Notice> out) {
        List<Notice> pending = s.notices.remove(instanceId);
        if (pending != null) {
            out.addAll(pending);
            s.registryDirty = true;
        }
    }

    /** Extends every unexpired lease of the instance by its own ttl. */
    public void renew(State s, String instanceId) {
        for (int i = 0; i < s.locks.size(); i++) {
            LockRecord l = s.locks.get(i);
            if (l.holder().equals(instanceId) && !l.expiredAt(s.now)) {
                Instant target = s.now.plusSeconds(l.ttlSeconds());
                if (Duration.between(l.expiresAt(), target).compareTo(REFRESH_GRANULARITY) >= 0) {
                    s.locks.set(i, l.renewed(s.now, l.ttlSeconds(), null));
                    s.tableDirty = true;
                }
            }
        }
    }

    /**
     * Removes dead instances, void and expired locks, and void waits.
     *
     * @param hostWasAsleep the caller itself had a stale heartbeat: the whole host was probably suspended, or a
     *     stopped process held the store's mutex, so nobody could beat. Silent instances of this host whose process
     *     is alive get a fresh stale window (their heartbeat is set to now) to send their own heartbeat. Sparing
     *     them for this transaction only is not enough: the caller's next call, a few milliseconds later, would
     *     reap every instance that had not had its turn at the mutex yet, and void the locks of live sessions.
     */
    public void sweep(State s, boolean hostWasAsleep) {
        List<Instance> graced = new ArrayList<>();
        for (Iterator<Instance> it = s.instances.values().iterator(); it.hasNext(); ) {
            Instance inst = it.next();
            String reason = judge.deathReason(inst, s.now);
            if (reason != null && hostWasAsleep && reason.startsWith("no heartbeat") && judge.sameHost(inst)) {
                Instance fresh = inst.withHeartbeat(s.now);
                reason = judge.deathReason(fresh, s.now);
                if (reason == null) {
                    graced.add(fresh);
                    continue;
                }
            }
            if (reason != null) {
                it.remove();
                List<LockRecord> lost = new ArrayList<>();
                s.locks.removeIf(l -> {
                    if (l.holder().equals(inst.id())) {
                        lost.add(l);
                        return true;
                    }
                    return false;
                });
                s.waiters.removeIf(w -> w.instance().equals(inst.id()));
                s.notices.remove(inst.id());
                s.tombstones.add(new Tombstone(inst.id(), s.now, reason, lost));
                s.audit("reap", inst.id(), null, null, Map.of("reason", reason, "locks", lost.size()));
                for (LockRecord l : lost) {
                    s.audit("void", inst.id(), l.path(), l.token(), Map.of("reason", reason));
                }
                s.registryDirty = true;
                s.tableDirty = true;
            }
        }
        for (Instance fresh : graced) {
            s.instances.put(fresh.id(), fresh);
            s.registryDirty = true;
        }
        for (Iterator<LockRecord> it = s.locks.iterator(); it.hasNext(); ) {
            LockRecord l = it.next();
            if (!s.instances.containsKey(l.holder())) {
                it.remove();
                s.audit("void", l.holder(), l.path(), l.token(), Map.of("reason", "holder not registered"));
                s.tableDirty = true;
            } else if (l.expiredAt(s.now)) {
                it.remove();
                s.notify(l.holder(), new Notice(Notice.Kind.EXPIRED, l.path(), l.token(), null, null, l.expiresAt()));
                s.audit("expire", l.holder(), l.path(), l.token(), null);
                s.tableDirty = true;
            }
        }
        if (s.waiters.removeIf(w -> !s.now.isBefore(w.deadline()) || !s.instances.containsKey(w.instance()))) {
            s.tableDirty = true;
        }
        Instant horizon = s.now.minus(TOMBSTONE_KEEP);
        if (s.tombstones.removeIf(t -> t.at().isBefore(horizon))) {
            s.registryDirty = true;
        }
        while (s.tombstones.size() > TOMBSTONE_MAX) {
            s.tombstones.remove(0);
            s.registryDirty = true;
        }
    }

    public AcquireOutcome acquire(
            State s,
            Instance caller,
            List<LockRequest> wanted,
            Duration ttl,
            String reason,
            Instant waitUntil,
            List<Notice> notices) {
        List<LockRequest> requests = merge(wanted);
        Waiter mine = null;
        for (Waiter w : s.waiters) {
            if (w.instance().equals(caller.id())) {
                mine = w;
            }
        }
        Instant myPlace = mine == null ? null : mine.since();
        List<Conflict> conflicts = new ArrayList<>();
        for (LockRequest r : requests) {
            for (LockRecord l : s.locks) {
                if (!l.holder().equals(caller.id())
                        && LockKeys.overlaps(l.path(), r.path())
                        && !l.mode().compatibleWith(r.mode())) {
                    conflicts.add(new Conflict(
                            r.path(),
                            l.path(),
                            HolderRef.of(l.holder(), s.instances.get(l.holder())),
                            l.mode(),
                            l.token(),
                            l.acquiredAt(),
                            l.expiresAt(),
                            false));
                }
            }
            for (Waiter w : s.waiters) {
                if (w.instance().equals(caller.id())
                        || (myPlace != null && !w.since().isBefore(myPlace))) {
                    continue;
                }
                for (LockRequest q : w.requests()) {
                    if (LockKeys.overlaps(q.path(), r.path()) && !q.mode().compatibleWith(r.mode())) {
                        conflicts.add(new Conflict(
                                r.path(),
                                q.path(),
                                HolderRef.of(w.instance(), s.instances.get(w.instance())),
                                q.mode(),
                                0,
                                w.since(),
                                w.deadline(),
                                true));
                    }
                }
            }
        }
        if (!conflicts.isEmpty()) {
            if (waitUntil != null && s.now.isBefore(waitUntil)) {
                if (mine == null) {
                    s.waiters.add(new Waiter(caller.id(), requests, s.now, waitUntil));
                    s.tableDirty = true;
                } else if (!mine.deadline().equals(waitUntil)
                        || !mine.requests().equals(requests)) {
                    s.waiters.set(s.waiters.indexOf(mine), new Waiter(caller.id(), requests, mine.since(), waitUntil));
                    s.tableDirty = true;
                }
            }
            return new AcquireOutcome(false, List.of(), conflicts, notices);
        }
        if (mine != null) {
            s.waiters.remove(mine);
        }
        long ttlSeconds = ttl.toSeconds();
        List<Grant> grants = new ArrayList<>();
        for (LockRequest r : requests) {
            int existing = indexOf(s, caller.id(), r.path());
            if (existing >= 0 && s.locks.get(existing).mode() == r.mode()) {
                LockRecord renewed = s.locks.get(existing).renewed(s.now, ttlSeconds, reason);
                s.locks.set(existing, renewed);
                grants.add(new Grant(r.path(), r.mode(), renewed.token(), renewed.expiresAt(), true, false, null));
                continue;
            }
            if (existing >= 0) {
                s.locks.remove(existing);
            }
            long token = s.takeToken();
            LockRecord granted = new LockRecord(
                    r.path(),
                    r.mode(),
                    caller.id(),
                    token,
                    s.now,
                    s.now.plus(ttl),
                    ttlSeconds,
                    reason,
                    r.sha256(),
                    caller.worktree());
            s.locks.add(granted);
            ReleaseMark mark = s.releases.remove(r.path());
            boolean changed = mark != null
                    && !mark.instance().equals(caller.id())
                    && Objects.equals(mark.worktree(), caller.worktree())
                    && mark.sha256() != null
                    && r.sha256() != null
                    && !mark.sha256().equals(r.sha256());
            grants.add(new Grant(
                    r.path(), r.mode(), token, granted.expiresAt(), false, changed, changed ? mark.instance() : null));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mode", r.mode().wireName());
            details.put("ttl_s", ttlSeconds);
            if (reason != null) {
                details.put("reason", reason);
            }
            if (changed) {
                details.put("changed_since_release", true);
            }
            s.audit("acquire", caller.id(), r.path(), token, details);
        }
        s.tableDirty = true;
        return new AcquireOutcome(true, grants, List.of(), notices);
    }

    public void cancelWait(State s, String instanceId) {
        if (s.waiters.removeIf(w -> w.instance().equals(instanceId))) {
            s.tableDirty = true;
        }
    }

    public ReleaseOutcome release(
            State s,
            Instance caller,
            List<String> paths,
            boolean force,
            String reason,
            Map<String, String> hashesNow,
            List<Notice> notices) {
        List<Released> released = new ArrayList<>();
        List<NotHeld> notHeld = new ArrayList<>();
        Set<String> lostPaths = new HashSet<>();
        for (Notice n : notices) {
            if (n.path() != null && n.kind() != Notice.Kind.MISSION_TAKEN) {
                lostPaths.add(n.path());
            }
        }
        List<String> targets = paths;
        if (targets == null) {
            targets = new ArrayList<>();
            for (LockRecord l : s.locks) {
                if (l.holder().equals(caller.id()) && !targets.contains(l.path())) {
                    targets.add(l.path());
                }
            }
        }
        for (String path : new java.util.LinkedHashSet<>(targets)) {
            boolean any = false;
            for (Iterator<LockRecord> it = s.locks.iterator(); it.hasNext(); ) {
                LockRecord l = it.next();
                if (!l.path().equals(path)) {
                    continue;
                }
                boolean own = l.holder().equals(caller.id());
                if (!own && !force) {
                    continue;
                }
                it.remove();
                any = true;
                released.add(new Released(l.path(), l.mode(), l.token(), l.holder(), !own, l.sha256(), l.worktree()));
                Map<String, Object> details = new LinkedHashMap<>();
                if (!own) {
                    details.put("holder", l.holder());
                    if (reason != null) {
                        details.put("reason", reason);
                    }
                    s.notify(
                            l.holder(),
                            new Notice(Notice.Kind.FORCED_RELEASE, l.path(), l.token(), caller.id(), reason, s.now));
                    s.audit("force", caller.id(), l.path(), l.token(), details);
                } else {
                    s.audit("release", caller.id(), l.path(), l.token(), null);
                }
            }
            if (any) {
                s.releases.put(new ReleaseMark(path, caller.id(), hashesNow.get(path), caller.worktree(), s.now));
                s.tableDirty = true;
                continue;
            }
            LockRecord current = null;
            for (LockRecord l : s.locks) {
                if (l.path().equals(path)) {
                    current = l;
                    break;
                }
            }
            notHeld.add(new NotHeld(
                    path,
                    lostPaths.contains(path) ? ErrorCode.LOCK_LOST : ErrorCode.NOT_HELD,
                    current == null ? null : HolderRef.of(current.holder(), s.instances.get(current.holder())),
                    current == null ? 0 : current.token()));
        }
        return new ReleaseOutcome(released, notHeld, notices);
    }

    /** Removes the instance and everything it holds. */
    public void unregister(State s, String instanceId, String reason) {
        boolean known = s.instances.remove(instanceId) != null;
        s.locks.removeIf(l -> {
            if (l.holder().equals(instanceId)) {
                s.audit("release", instanceId, l.path(), l.token(), Map.of("reason", "unregister"));
                return true;
            }
            return false;
        });
        s.waiters.removeIf(w -> w.instance().equals(instanceId));
        s.notices.remove(instanceId);
        removeTombstone(s, instanceId);
        if (known) {
            s.audit("unregister", instanceId, null, null, reason == null ? null : Map.of("reason", reason));
        }
        s.registryDirty = true;
        s.tableDirty = true;
    }

    private static int indexOf(State s, String holder, String path) {
        for (int i = 0; i < s.locks.size(); i++) {
            LockRecord l = s.locks.get(i);
            if (l.holder().equals(holder) && l.path().equals(path)) {
                return i;
            }
        }
        return -1;
    }

    /** One request per key; a key named twice gets the stronger mode. */
    public static List<LockRequest> merge(List<LockRequest> wanted) {
        Map<String, LockRequest> byKey = new LinkedHashMap<>();
        for (LockRequest r : wanted) {
            byKey.merge(r.path(), r, (a, b) -> a.mode() == LockMode.EXCLUSIVE ? a : b);
        }
        return List.copyOf(byKey.values());
    }

    private static Tombstone removeTombstone(State s, String instanceId) {
        for (Iterator<Tombstone> it = s.tombstones.iterator(); it.hasNext(); ) {
            Tombstone t = it.next();
            if (t.instance().equals(instanceId)) {
                it.remove();
                s.registryDirty = true;
                return t;
            }
        }
        return null;
    }

    private static Map<String, Object> details(Instance i) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pid", i.pid());
        d.put("host", i.host());
        if (i.worktree() != null) {
            d.put("worktree", i.worktree());
        }
        if (i.branch() != null) {
            d.put("branch", i.branch());
        }
        return d;
    }
}
