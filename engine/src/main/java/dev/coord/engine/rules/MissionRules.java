package dev.coord.engine.rules;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.NextStep;
import dev.coord.engine.model.ClaimHolder;
import dev.coord.engine.model.ClaimOutcome;
import dev.coord.engine.model.ClaimRequest;
import dev.coord.engine.model.FinishOutcome;
import dev.coord.engine.model.FinishRequest;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionRef;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.Notice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The mission claim rules, applied to one {@link State} and {@link MissionTable} inside one transaction, after
 * {@link RegistryRules#enter} refreshed the caller and swept dead instances (so that "alive" means registered now). Pure: no
 * I/O, time comes from the state.
 */
public final class MissionRules {
    /** Settled records of finished missions kept for retries and history; the oldest go first. */
    public static final int FINISHED_KEEP = 1000;

    private MissionRules() {}

    public static ClaimOutcome claim(State s, MissionTable t, Instance caller, ClaimRequest req, List<Notice> notices) {
        if (req.force() && blank(req.reason())) {
            throw CoordException.invalidArgument(
                    "force: true needs a reason: it is recorded in the mission's log and the audit log");
        }
        if (req.requestId() != null) {
            for (MissionClaim c : t.all()) {
                if (c.claimedBy().equals(caller.id()) && req.requestId().equals(c.requestId())) {
                    return new ClaimOutcome(ClaimOutcome.Result.REPLAYED, c, c.missionId(), null, notices);
                }
            }
        }
        ClaimOutcome firstRefusal = null;
        for (MissionRef ref : req.candidates()) {
            MissionClaim current = t.get(ref.missionId());
            String holder = null;
            Instant since = null;
            if (current != null && current.state() == MissionState.DONE) {
                // the shared record is the truth across worktrees: a copy of the file still in queue/ elsewhere
                // does not make a finished mission claimable again
                if (firstRefusal == null) {
                    firstRefusal = new ClaimOutcome(ClaimOutcome.Result.DONE, current, ref.missionId(), null, notices);
                }
                continue;
            }
            if (current != null && current.active()) {
                holder = current.claimedBy();
                since = current.claimedAt();
            } else if (current != null && current.rev() != ref.expectedRev()
                    || current == null && ref.expectedRev() != 0) {
                if (firstRefusal == null) {
                    firstRefusal =
                            new ClaimOutcome(ClaimOutcome.Result.CHANGED, current, ref.missionId(), null, notices);
                }
                continue;
            } else if (ref.fileClaimer() != null) {
                holder = ref.fileClaimer();
                since = ref.fileClaimedAt();
            }
            if (holder == null) {
                return claimed(s, t, caller, req, ref, null, notices);
            }
            if (holder.equals(caller.id())) {
                if (current != null && current.active()) {
                    return new ClaimOutcome(ClaimOutcome.Result.ALREADY_YOURS, current, ref.missionId(), null, notices);
                }
                return claimed(s, t, caller, req, ref, null, notices);
            }
            ClaimHolder held = holder(s, holder, current, since);
            if (req.force() && (!held.alive() || held.stale())) {
                return claimed(s, t, caller, req, ref, held, notices);
            }
            if (firstRefusal == null) {
                firstRefusal = new ClaimOutcome(ClaimOutcome.Result.TAKEN, current, ref.missionId(), held, notices);
            }
        }
        return firstRefusal != null
                ? firstRefusal
                : new ClaimOutcome(ClaimOutcome.Result.NONE, null, null, null, notices);
    }

    private static ClaimOutcome claimed(
            State s,
            MissionTable t,
            Instance caller,
            ClaimRequest req,
            MissionRef ref,
            ClaimHolder takenFrom,
            List<Notice> notices) {
        String reason = takenFrom == null ? null : req.reason().strip();
        MissionClaim prior = t.get(ref.missionId());
        // the note the last claimer left when it gave the mission back goes to the next claimer with the claim
        String note = prior != null && prior.state() == MissionState.QUEUED ? prior.summary() : null;
        MissionClaim claim = new MissionClaim(
                ref.missionId(),
                ref.file(),
                MissionState.ACTIVE,
                caller.id(),
                caller.task(),
                s.now(),
                req.requestId(),
                t.takeRev(),
                false,
                caller.id(),
                s.now(),
                takenFrom == null ? null : takenFrom.instanceId(),
                note,
                reason);
        t.put(claim);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mission", ref.missionId());
        details.put("file", ref.file());
        details.put("rev", claim.rev());
        if (req.requestId() != null) {
            details.put("request_id", req.requestId());
        }
        if (takenFrom != null) {
            details.put("from", takenFrom.instanceId());
            details.put("from_alive", takenFrom.alive());
            details.put("reason", reason);
            notifyHolder(s, takenFrom.instanceId(), ref.missionId(), caller.id(), reason);
        }
        s.audit(takenFrom == null ? "mission_claim" : "mission_takeover", caller.id(), null, null, details);
        prune(t);
        return new ClaimOutcome(ClaimOutcome.Result.CLAIMED, claim, ref.missionId(), takenFrom, notices);
    }

    public static FinishOutcome finish(
            State s, MissionTable t, Instance caller, FinishRequest req, List<Notice> notices) {
        if (req.force() && blank(req.reason())) {
            throw CoordException.invalidArgument(
                    "force: true needs a reason: it is recorded in the mission's log and the audit log");
        }
        MissionClaim current = t.get(req.missionId());
        if (current == null) {
            throw new CoordException(
                    ErrorCode.NOT_FOUND,
                    "coord has no claim on mission " + req.missionId(),
                    new NextStep(NextStep.Kind.CLAIM_FIRST, req.missionId(), false));
        }
        if (!current.active()) {
            if (current.state() == req.outcome() && current.changedBy().equals(caller.id())) {
                return new FinishOutcome(current, true, null, notices);
            }
            throw new CoordException(
                    ErrorCode.NOT_HELD,
                    "mission " + req.missionId() + " is not active: it was "
                            + (current.state() == MissionState.DONE ? "completed" : "given back") + " by "
                            + current.changedBy() + " at " + current.changedAt());
        }
        ClaimHolder held = null;
        if (!current.claimedBy().equals(caller.id())) {
            held = holder(s, current.claimedBy(), current, current.claimedAt());
            if (held.alive() && !req.force()) {
                throw new CoordException(
                        ErrorCode.NOT_HELD,
                        "mission " + req.missionId() + " is claimed by " + held.instanceId()
                                + (held.task() == null ? "" : " (\"" + held.task() + "\")") + " since "
                                + current.claimedAt() + ", which is alive: only it may finish the mission. Ask the"
                                + " user; with their go-ahead pass force: true and a reason.");
            }
        }
        String reason = blank(req.reason()) ? null : req.reason().strip();
        String summary = blank(req.summary()) ? null : req.summary().strip();
        MissionClaim finished = new MissionClaim(
                current.missionId(),
                current.file(),
                req.outcome(),
                current.claimedBy(),
                current.claimedTask(),
                current.claimedAt(),
                current.requestId(),
                t.takeRev(),
                false,
                caller.id(),
                s.now(),
                held == null ? null : held.instanceId(),
                summary,
                reason);
        t.put(finished);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mission", finished.missionId());
        details.put("file", finished.file());
        details.put("rev", finished.rev());
        if (held != null) {
            details.put("from", held.instanceId());
            details.put("from_alive", held.alive());
        }
        if (reason != null) {
            details.put("reason", reason);
        }
        s.audit(
                req.outcome() == MissionState.DONE ? "mission_done" : "mission_give_back",
                caller.id(),
                null,
                null,
                details);
        if (held != null) {
            notifyHolder(s, held.instanceId(), finished.missionId(), caller.id(), reason);
        }
        prune(t);
        return new FinishOutcome(finished, false, held, notices);
    }

    public static boolean settle(MissionTable t, String missionId, long rev) {
        MissionClaim current = t.get(missionId);
        if (current == null || current.rev() != rev) {
            return false;
        }
        if (!current.settled()) {
            t.replace(current.asSettled());
        }
        return true;
    }

    private static ClaimHolder holder(State s, String id, MissionClaim record, Instant since) {
        Instance live = s.instance(id);
        String task = live != null && live.task() != null
                ? live.task()
                : record != null && Objects.equals(record.claimedBy(), id) ? record.claimedTask() : null;
        boolean stale = since != null && !since.plus(MissionClaim.STALE_AFTER).isAfter(s.now());
        return new ClaimHolder(id, task, since, live != null, stale);
    }

    /** Tells a former claimer on its next call, if it can still make one (live, or declared dead but not gone). */
    private static void notifyHolder(State s, String holder, String missionId, String by, String reason) {
        boolean reachable = s.isRegistered(holder)
                || s.tombstones().stream().anyMatch(stone -> stone.instance().equals(holder));
        if (reachable) {
            s.notify(holder, new Notice(Notice.Kind.MISSION_TAKEN, missionId, 0, by, reason, s.now()));
        }
    }

    /** Drops the oldest settled records of finished missions beyond {@link #FINISHED_KEEP}. */
    private static void prune(MissionTable t) {
        List<String> finished = new ArrayList<>();
        for (MissionClaim c : t.all()) {
            if (!c.active() && c.settled()) {
                finished.add(c.missionId());
            }
        }
        int excess = finished.size() - FINISHED_KEEP;
        if (excess <= 0) {
            return;
        }
        finished.sort((x, y) -> t.get(x).changedAt().compareTo(t.get(y).changedAt()));
        for (Iterator<String> it = finished.iterator(); it.hasNext() && excess > 0; excess--) {
            t.remove(it.next());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
