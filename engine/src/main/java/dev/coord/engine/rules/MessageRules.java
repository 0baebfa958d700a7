package dev.coord.engine.rules;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.MessageDraft;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.path.LockKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who a message goes to, and what a handover moves, decided on one {@link State} after {@link RegistryRules#enter}
 * refreshed the caller and swept the dead (so "alive" means registered now). Pure: no I/O.
 *
 * <p>A message is delivered only to sessions alive now, or to the people; an address that reaches nobody is refused
 * with the reason, never kept undelivered.
 */
public final class MessageRules {
    /** The address of every live session but the sender. */
    public static final String ALL = "all";
    /** The prefix of an address that names whoever holds a lock or edit claim covering a path. */
    public static final String HOLDER = "holder:";

    private MessageRules() {}

    /**
     * The recipients of a message from {@code caller}: instance ids (or {@link Message#PERSON}), never the caller,
     * never empty.
     *
     * @param to the address; for a release request null means the holders of {@code draft.aboutPaths()}
     * @throws CoordException NOT_FOUND naming why the address reaches nobody alive
     */
    public static List<String> recipients(State s, String callerId, MessageDraft draft) {
        String to = draft.to();
        Set<String> out = new LinkedHashSet<>();
        if (to == null) {
            for (String key : draft.aboutPaths()) {
                out.addAll(holders(s, callerId, key));
            }
            if (out.isEmpty()) {
                throw new CoordException(
                        ErrorCode.NOT_FOUND,
                        "no other live session holds " + String.join(", ", draft.aboutPaths())
                                + ": nothing to ask for; acquire_lock it");
            }
            return List.copyOf(out);
        }
        if (to.equals(Message.PERSON)) {
            return List.of(Message.PERSON);
        }
        if (to.equals(ALL)) {
            for (Instance i : s.instances()) {
                if (!i.id().equals(callerId)) {
                    out.add(i.id());
                }
            }
            if (out.isEmpty()) {
                throw new CoordException(ErrorCode.NOT_FOUND, "no other session is alive: nobody to send to");
            }
            return List.copyOf(out);
        }
        if (to.startsWith(HOLDER)) {
            String key = to.substring(HOLDER.length());
            out.addAll(holders(s, callerId, key));
            if (out.isEmpty()) {
                throw new CoordException(
                        ErrorCode.NOT_FOUND, "no other live session holds a lock or edit claim covering " + key);
            }
            return List.copyOf(out);
        }
        if (s.isRegistered(to)) {
            if (to.equals(callerId)) {
                throw CoordException.invalidArgument("to names this session itself");
            }
            return List.of(to);
        }
        for (Instance i : s.instances()) {
            if (!i.id().equals(callerId) && to.equalsIgnoreCase(i.role())) {
                out.add(i.id());
            }
        }
        if (!out.isEmpty()) {
            return List.copyOf(out);
        }
        boolean dead = s.tombstones().stream().anyMatch(t -> t.instance().equals(to));
        throw new CoordException(
                ErrorCode.NOT_FOUND,
                dead
                        ? "session " + to + " is dead (declared dead; its locks were voided): the message was not sent"
                        : "no live session has the id or role " + to + ": the message was not sent (status lists the"
                                + " live sessions)");
    }

    /** Live sessions other than the caller holding a lock or edit claim that overlaps {@code key}. */
    public static List<String> holders(State s, String callerId, String key) {
        Set<String> out = new LinkedHashSet<>();
        for (LockRecord l : s.locks()) {
            if (!l.holder().equals(callerId) && LockKeys.overlaps(l.path(), key)) {
                out.add(l.holder());
            }
        }
        return List.copyOf(out);
    }

    /**
     * Moves the caller's locks on {@code keys} (exact keys it holds) and its active mission {@code missionId} to
     * {@code receiver}, in one step: each lock gets a new fencing token and a fresh lease of its length; the mission
     * record names the receiver as claimer and the caller as the one it came from (the mission file's log says so once
     * settled).
     *
     * @throws CoordException NOT_FOUND when the receiver is not alive, NOT_HELD when the caller does not hold a key
     *     or the mission, INVALID_ARGUMENT when there is nothing to hand over
     */
    public static List<Grant> handOver(
            State s, MissionTable t, Instance caller, String receiver, List<String> keys, String missionId) {
        if (keys.isEmpty() && missionId == null) {
            throw CoordException.invalidArgument(
                    "a handover needs about_paths (your locks to give) or mission (your active mission to give)");
        }
        Instance to = s.instance(receiver);
        if (to == null || receiver.equals(caller.id())) {
            throw new CoordException(
                    ErrorCode.NOT_FOUND,
                    receiver.equals(caller.id())
                            ? "a handover goes to another session, not to this one"
                            : "session " + receiver + " is not alive: nothing was handed over (status lists the live"
                                    + " sessions)");
        }
        List<LockRecord> mine = new ArrayList<>();
        for (String key : keys) {
            LockRecord found = null;
            for (LockRecord l : s.locks()) {
                if (l.holder().equals(caller.id()) && l.path().equals(key)) {
                    found = l;
                }
            }
            if (found == null) {
                throw new CoordException(
                        ErrorCode.NOT_HELD, "you hold no lock on " + key + ": nothing was handed over");
            }
            mine.add(found);
        }
        MissionClaim mission = null;
        if (missionId != null) {
            mission = t.get(missionId);
            if (mission == null || !mission.active() || !mission.claimedBy().equals(caller.id())) {
                throw new CoordException(
                        ErrorCode.NOT_HELD,
                        "mission " + missionId + " is not your active mission: nothing was handed over");
            }
        }
        List<Grant> grants = new ArrayList<>();
        for (LockRecord l : mine) {
            long token = s.takeToken();
            LockRecord next = new LockRecord(
                    l.path(),
                    l.mode(),
                    receiver,
                    token,
                    s.now(),
                    s.now().plus(Duration.ofSeconds(l.ttlSeconds())),
                    l.ttlSeconds(),
                    "handed over by " + caller.id(),
                    l.sha256(),
                    to.worktree());
            // the receiver may have held a shared lock on the same key: the handed lock replaces it
            s.removeLocksIf(x -> x.token() == l.token()
                    || x.holder().equals(receiver) && x.path().equals(l.path()));
            s.addLock(next);
            grants.add(new Grant(l.path(), l.mode(), token, next.expiresAt(), false, false, null));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", caller.id());
            details.put("to", receiver);
            details.put("old_token", l.token());
            s.audit("handover", caller.id(), l.path(), token, details);
        }
        if (mission != null) {
            MissionClaim next = new MissionClaim(
                    mission.missionId(),
                    mission.file(),
                    MissionState.ACTIVE,
                    receiver,
                    to.task(),
                    s.now(),
                    null,
                    t.takeRev(),
                    false,
                    caller.id(),
                    s.now(),
                    caller.id(),
                    null,
                    "handed over");
            t.put(next);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mission", mission.missionId());
            details.put("file", mission.file());
            details.put("rev", next.rev());
            details.put("from", caller.id());
            details.put("to", receiver);
            s.audit("mission_handover", caller.id(), null, null, details);
        }
        return grants;
    }

    /** Whether {@code key} is free of every lock but the caller's own. */
    public static boolean free(State s, String callerId, String key) {
        return holders(s, callerId, key).isEmpty();
    }
}
