package dev.coord.engine.rules;

import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Notice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The registry rules, applied to one {@link State} inside one transaction: who is registered, who is alive, whose
 * leases are renewed, what a reaped instance leaves behind (a tombstone, notices). Pure: no I/O, time comes from the
 * state. Every store runs them under its cross-process exclusion, so that all stores behave alike.
 */
public final class RegistryRules {
    public static final Duration TOMBSTONE_KEEP = Duration.ofHours(24);
    public static final int TOMBSTONE_MAX = 200;
    /** A lease (or heartbeat) is rewritten only when it moved by at least this much: saves writes on busy callers. */
    public static final Duration REFRESH_GRANULARITY = Duration.ofSeconds(1);

    private final LivenessJudge judge;
    /**
     * A stored heartbeat is rewritten only when it moved by at least this much: {@link #REFRESH_GRANULARITY}, but
     * never more than a quarter of the stale timeout. Otherwise a process beating on schedule can leave a stored
     * heartbeat older than the stale timeout (up to granularity plus one interval) and be reaped while alive.
     */
    private final Duration heartbeatGranularity;

    public RegistryRules(LivenessJudge judge) {
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
        Instance known = s.instance(caller.id());
        List<Notice> out = new ArrayList<>();
        // nobody beat for a whole stale timeout: the host slept or the clock jumped forward, even when the caller is
        // new (a session starting first after the wake-up must not reap every other one)
        boolean hostWasAsleep = everyoneSilent(s);
        if (known == null) {
            Tombstone stone = s.removeTombstone(caller.id());
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
            s.putInstance(caller.withHeartbeat(s.now()));
        } else {
            hostWasAsleep |= Duration.between(known.lastHeartbeat(), s.now()).compareTo(judge.staleAfter()) > 0;
            Instance merged = caller.withHeartbeat(known.lastHeartbeat());
            boolean changed = !merged.equals(known);
            // abs: after the clock jumped back, a stored heartbeat "in the future" must follow it, or the instance
            // would count as alive for the length of the jump after it stopped beating
            if (changed
                    || Duration.between(known.lastHeartbeat(), s.now()).abs().compareTo(heartbeatGranularity) >= 0) {
                s.putInstance(caller.withHeartbeat(s.now()));
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

    private static void drainNotices(State s, String instanceId, List<Notice> out) {
        List<Notice> pending = s.takeNotices(instanceId);
        if (pending != null) {
            out.addAll(pending);
        }
    }

    /**
     * Extends every unexpired lease of the instance by its own ttl. Edit claims are left alone: they end after their
     * idle time without an edit of their file ({@link EditClaimRules}).
     */
    public void renew(State s, String instanceId) {
        List<LockRecord> locks = s.locks();
        for (int i = 0; i < locks.size(); i++) {
            LockRecord l = locks.get(i);
            if (l.holder().equals(instanceId) && !l.auto() && !l.expiredAt(s.now())) {
                Instant target = s.now().plusSeconds(l.ttlSeconds());
                if (Duration.between(l.expiresAt(), target).compareTo(REFRESH_GRANULARITY) >= 0) {
                    s.setLock(i, l.renewed(s.now(), l.ttlSeconds(), null));
                }
            }
        }
    }

    private boolean everyoneSilent(State s) {
        if (s.instances().isEmpty()) {
            return false;
        }
        for (Instance i : s.instances()) {
            if (Duration.between(i.lastHeartbeat(), s.now()).compareTo(judge.staleAfter()) <= 0) {
                return false;
            }
        }
        return true;
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
        for (Instance inst : List.copyOf(s.instances())) {
            String reason = judge.deathReason(inst, s.now());
            if (reason != null && hostWasAsleep && reason.startsWith("no heartbeat") && judge.sameHost(inst)) {
                Instance fresh = inst.withHeartbeat(s.now());
                reason = judge.deathReason(fresh, s.now());
                if (reason == null) {
                    graced.add(fresh);
                    continue;
                }
            }
            if (reason != null) {
                s.removeInstance(inst.id());
                List<LockRecord> lost = new ArrayList<>();
                s.removeLocksIf(l -> {
                    if (l.holder().equals(inst.id())) {
                        lost.add(l);
                        return true;
                    }
                    return false;
                });
                s.removeWaitersIf(w -> w.instance().equals(inst.id()));
                s.takeNotices(inst.id());
                s.addTombstone(new Tombstone(inst.id(), s.now(), reason, lost));
                s.audit("reap", inst.id(), null, null, Map.of("reason", reason, "locks", lost.size()));
                for (LockRecord l : lost) {
                    s.audit("void", inst.id(), l.path(), l.token(), Map.of("reason", reason));
                }
                s.rewriteTable(); // as it always was, even when the instance held nothing
            }
        }
        for (Instance fresh : graced) {
            s.putInstance(fresh);
        }
        s.removeLocksIf(l -> {
            if (!s.isRegistered(l.holder())) {
                s.audit("void", l.holder(), l.path(), l.token(), Map.of("reason", "holder not registered"));
                return true;
            }
            if (l.expiredAt(s.now())) {
                if (!l.auto()) {
                    // an edit claim lapsing after its idle time is not news: the next edit of the file claims it again
                    s.notify(
                            l.holder(),
                            new Notice(Notice.Kind.EXPIRED, l.path(), l.token(), null, null, l.expiresAt()));
                }
                s.audit("expire", l.holder(), l.path(), l.token(), null);
                return true;
            }
            return false;
        });
        s.removeWaitersIf(w -> !s.now().isBefore(w.deadline()) || !s.isRegistered(w.instance()));
        s.pruneTombstones(s.now().minus(TOMBSTONE_KEEP), TOMBSTONE_MAX);
    }

    /** Removes the instance and everything it holds. */
    public void unregister(State s, String instanceId, String reason) {
        boolean known = s.removeInstance(instanceId);
        s.removeLocksIf(l -> {
            if (l.holder().equals(instanceId)) {
                s.audit("release", instanceId, l.path(), l.token(), Map.of("reason", "unregister"));
                return true;
            }
            return false;
        });
        s.removeWaitersIf(w -> w.instance().equals(instanceId));
        s.takeNotices(instanceId);
        s.removeTombstone(instanceId);
        if (known) {
            s.audit("unregister", instanceId, null, null, reason == null ? null : Map.of("reason", reason));
        }
        // written even when nothing was removed, as it always was
        s.rewriteTable();
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
