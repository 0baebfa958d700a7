package dev.coord.engine.rules;

import dev.coord.engine.ErrorCode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The lock rules, applied to one {@link State} inside one transaction, after {@link RegistryRules#enter} refreshed
 * the caller and swept the dead: grant, queue or refuse an acquire, release (or force-release), and the release marks
 * that tell the next holder whether a file changed. How a grant is decided is told in {@code package-info.java}.
 * Pure: no I/O, time comes from the state.
 */
public final class LockRules {
    /** Release marks a store keeps at most (the least recently released are dropped first). */
    public static final int RELEASE_MARK_MAX = 10_000;

    private LockRules() {}

    public static AcquireOutcome acquire(
            State s,
            Instance caller,
            List<LockRequest> wanted,
            Duration ttl,
            String reason,
            Instant waitUntil,
            List<Notice> notices) {
        List<LockRequest> requests = merge(wanted);
        Waiter mine = null;
        for (Waiter w : s.waiters()) {
            if (w.instance().equals(caller.id())) {
                mine = w;
            }
        }
        Instant myPlace = mine == null ? null : mine.since();
        List<Conflict> conflicts = new ArrayList<>();
        for (LockRequest r : requests) {
            for (LockRecord l : s.locks()) {
                if (!l.holder().equals(caller.id())
                        && LockKeys.overlaps(l.path(), r.path())
                        && !l.mode().compatibleWith(r.mode())) {
                    conflicts.add(new Conflict(
                            r.path(),
                            l.path(),
                            HolderRef.of(l.holder(), s.instance(l.holder())),
                            l.mode(),
                            l.token(),
                            l.acquiredAt(),
                            l.expiresAt(),
                            false));
                }
            }
            for (Waiter w : s.waiters()) {
                if (w.instance().equals(caller.id())
                        || (myPlace != null && !w.since().isBefore(myPlace))) {
                    continue;
                }
                for (LockRequest q : w.requests()) {
                    if (LockKeys.overlaps(q.path(), r.path()) && !q.mode().compatibleWith(r.mode())) {
                        conflicts.add(new Conflict(
                                r.path(),
                                q.path(),
                                HolderRef.of(w.instance(), s.instance(w.instance())),
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
            if (waitUntil != null && s.now().isBefore(waitUntil)) {
                if (mine == null) {
                    s.addWaiter(new Waiter(caller.id(), requests, s.now(), waitUntil));
                } else if (!mine.deadline().equals(waitUntil)
                        || !mine.requests().equals(requests)) {
                    s.replaceWaiter(mine, new Waiter(caller.id(), requests, mine.since(), waitUntil));
                }
            }
            return new AcquireOutcome(false, List.of(), conflicts, notices);
        }
        if (mine != null) {
            Waiter done = mine;
            s.removeWaitersIf(w -> w == done);
        }
        long ttlSeconds = ttl.toSeconds();
        List<Grant> grants = new ArrayList<>();
        for (LockRequest r : requests) {
            int existing = indexOf(s, caller.id(), r.path());
            if (existing >= 0 && s.locks().get(existing).mode() == r.mode()) {
                // an edit claim the model now asks for becomes a lock of its own, renewed by activity
                LockRecord renewed = s.locks()
                        .get(existing)
                        .renewed(s.now(), ttlSeconds, reason)
                        .asRequested();
                s.setLock(existing, renewed);
                grants.add(new Grant(r.path(), r.mode(), renewed.token(), renewed.expiresAt(), true, false, null));
                continue;
            }
            if (existing >= 0) {
                s.removeLock(existing);
            }
            long token = s.takeToken();
            LockRecord granted = new LockRecord(
                    r.path(),
                    r.mode(),
                    caller.id(),
                    token,
                    s.now(),
                    s.now().plus(ttl),
                    ttlSeconds,
                    reason,
                    r.sha256(),
                    caller.worktree());
            s.addLock(granted);
            ReleaseMark mark = s.releases().remove(r.path());
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
        s.rewriteTable(); // a grant of nothing new (every key already held) still rewrites the table, as it always did
        return new AcquireOutcome(true, grants, List.of(), notices);
    }

    public static void cancelWait(State s, String instanceId) {
        s.removeWaitersIf(w -> w.instance().equals(instanceId));
    }

    public static ReleaseOutcome release(
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
            for (LockRecord l : s.locks()) {
                if (l.holder().equals(caller.id()) && !targets.contains(l.path())) {
                    targets.add(l.path());
                }
            }
        }
        for (String path : new java.util.LinkedHashSet<>(targets)) {
            boolean any = s.removeLocksIf(l -> {
                if (!l.path().equals(path)) {
                    return false;
                }
                boolean own = l.holder().equals(caller.id());
                if (!own && !force) {
                    return false;
                }
                released.add(new Released(l.path(), l.mode(), l.token(), l.holder(), !own, l.sha256(), l.worktree()));
                Map<String, Object> details = new LinkedHashMap<>();
                if (!own) {
                    details.put("holder", l.holder());
                    if (reason != null) {
                        details.put("reason", reason);
                    }
                    s.notify(
                            l.holder(),
                            new Notice(
                                    Notice.Kind.FORCED_RELEASE,
                                    l.path(),
                                    l.token(),
                                    Notice.actor(caller),
                                    reason,
                                    s.now()));
                    s.audit("force", caller.id(), l.path(), l.token(), details);
                } else {
                    s.audit("release", caller.id(), l.path(), l.token(), null);
                }
                return true;
            });
            if (any) {
                s.releases().put(new ReleaseMark(path, caller.id(), hashesNow.get(path), caller.worktree(), s.now()));
                continue;
            }
            LockRecord current = null;
            for (LockRecord l : s.locks()) {
                if (l.path().equals(path)) {
                    current = l;
                    break;
                }
            }
            notHeld.add(new NotHeld(
                    path,
                    lostPaths.contains(path) ? ErrorCode.LOCK_LOST : ErrorCode.NOT_HELD,
                    current == null ? null : HolderRef.of(current.holder(), s.instance(current.holder())),
                    current == null ? 0 : current.token()));
        }
        return new ReleaseOutcome(released, notHeld, notices);
    }

    private static int indexOf(State s, String holder, String path) {
        List<LockRecord> locks = s.locks();
        for (int i = 0; i < locks.size(); i++) {
            LockRecord l = locks.get(i);
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
}
