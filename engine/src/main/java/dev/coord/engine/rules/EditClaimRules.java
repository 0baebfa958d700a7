package dev.coord.engine.rules;

import dev.coord.engine.model.Conflict;
import dev.coord.engine.model.EditClaimOutcome;
import dev.coord.engine.model.EditClaimOutcome.Status;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.HolderRef;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseMark;
import dev.coord.engine.path.LockKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The rules of edit claims: the exclusive locks Claude Code's edit hook takes for a session on the file it is about to
 * edit. Pure, like {@link LockRules}: applied to one {@link State} inside one transaction.
 *
 * <ul>
 *   <li>Any lock or claim of another session covering the file (exclusive or shared, on the file or a directory above
 *       it) blocks the claim: an edit changes what a shared holder relies on. Nothing is taken or broken then.
 *   <li>A lock the caller took itself covering the file is enough: no claim.
 *   <li>The caller's own claim on the file is renewed: its lease runs for the idle time from this edit.
 *   <li>Otherwise a new claim is granted with a new fencing token. The wait queue is not consulted: a waiter waits
 *       for a lock that someone holds, and an edit of a free file does not take that lock from it.
 * </ul>
 *
 * Claims are not renewed by the holder's other calls ({@link RegistryRules#renew} skips them): a claim ends after the idle
 * time without an edit of its file, when the holder releases it, or when the holder's session ends.
 */
public final class EditClaimRules {
    /** The reason recorded on a new claim. */
    public static final String REASON = "edit claim";

    private EditClaimRules() {}

    public static EditClaimOutcome claim(
            State s, Instance caller, String key, String sha256, Duration idle, List<Notice> notices) {
        return claim(s, caller, key, () -> sha256, idle, notices);
    }

    /**
     * As {@link #claim(State, Instance, String, String, Duration, List)}, asking for the file's hash only when it
     * grants a new claim: a renewal, a conflict or a covering lock of the caller reads nothing.
     *
     * @param sha256 gives the file's content hash now, or null (missing file); called at most once
     */
    public static EditClaimOutcome claim(
            State s, Instance caller, String key, Supplier<String> sha256, Duration idle, List<Notice> notices) {
        Objects.requireNonNull(key, "key");
        List<Conflict> conflicts = new ArrayList<>();
        LockRecord ownCover = null;
        int ownClaim = -1;
        List<LockRecord> locks = s.locks();
        for (int i = 0; i < locks.size(); i++) {
            LockRecord l = locks.get(i);
            if (!LockKeys.overlaps(l.path(), key)) {
                continue;
            }
            if (!l.holder().equals(caller.id())) {
                conflicts.add(new Conflict(
                        key,
                        l.path(),
                        HolderRef.of(l.holder(), s.instance(l.holder())),
                        l.mode(),
                        l.token(),
                        l.acquiredAt(),
                        l.expiresAt(),
                        false));
            } else if (l.auto() && l.path().equals(key)) {
                ownClaim = i;
            } else if (!l.auto() && LockKeys.contains(l.path(), key)) {
                ownCover = l;
            }
        }
        if (!conflicts.isEmpty()) {
            return new EditClaimOutcome(Status.HELD, null, conflicts, notices);
        }
        if (ownCover != null) {
            return new EditClaimOutcome(Status.COVERED, null, List.of(), notices);
        }
        long idleSeconds = idle.toSeconds();
        if (ownClaim >= 0) {
            LockRecord held = s.locks().get(ownClaim);
            LockRecord renewed = held.renewed(s.now(), idleSeconds, null);
            if (Duration.between(held.expiresAt(), renewed.expiresAt()).compareTo(RegistryRules.REFRESH_GRANULARITY)
                    >= 0) {
                s.setLock(ownClaim, renewed);
            } else {
                renewed = held;
            }
            Grant g = new Grant(key, LockMode.EXCLUSIVE, renewed.token(), renewed.expiresAt(), true, false, null);
            return new EditClaimOutcome(Status.RENEWED, g, List.of(), notices);
        }
        String hash = sha256.get();
        long token = s.takeToken();
        LockRecord granted = new LockRecord(
                key,
                LockMode.EXCLUSIVE,
                caller.id(),
                token,
                s.now(),
                s.now().plus(idle),
                idleSeconds,
                REASON,
                hash,
                caller.worktree(),
                true);
        s.addLock(granted);
        ReleaseMark mark = s.releases().remove(key);
        boolean changed = mark != null
                && !mark.instance().equals(caller.id())
                && Objects.equals(mark.worktree(), caller.worktree())
                && mark.sha256() != null
                && hash != null
                && !mark.sha256().equals(hash);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("idle_s", idleSeconds);
        if (changed) {
            details.put("changed_since_release", true);
        }
        s.audit("claim", caller.id(), key, token, details);
        Grant g = new Grant(
                key, LockMode.EXCLUSIVE, token, granted.expiresAt(), false, changed, changed ? mark.instance() : null);
        return new EditClaimOutcome(Status.CLAIMED, g, List.of(), notices);
    }

    /**
     * Ends the caller's own edit claims on these keys (its other locks stay), leaving a release mark with the file's
     * hash as it is now, as a release does.
     *
     * @return the keys whose claim ended
     */
    public static List<String> end(
            State s, Instance caller, Collection<String> keys, Map<String, String> hashesNow, String reason) {
        List<String> ended = new ArrayList<>();
        s.removeLocksIf(l -> {
            if (l.auto() && l.holder().equals(caller.id()) && keys.contains(l.path())) {
                ended.add(l.path());
                s.releases()
                        .put(new ReleaseMark(
                                l.path(), caller.id(), hashesNow.get(l.path()), caller.worktree(), s.now()));
                s.audit("release", caller.id(), l.path(), l.token(), reason == null ? null : Map.of("reason", reason));
                return true;
            }
            return false;
        });
        return ended;
    }
}
