package dev.coord.engine.store;

import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.ClaimOutcome;
import dev.coord.engine.model.ClaimRequest;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.EditClaimOutcome;
import dev.coord.engine.model.FinishOutcome;
import dev.coord.engine.model.FinishRequest;
import dev.coord.engine.model.InboxSummary;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.MessageDraft;
import dev.coord.engine.model.MessageQuery;
import dev.coord.engine.model.MessagesRead;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.ReleaseOutcome;
import dev.coord.engine.model.SendOutcome;
import dev.coord.engine.model.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The shared state of one repository, safe when many processes use it at once. Every implementation must pass
 * {@code CoordStoreContract}.
 *
 * <p>Operations that take a {@code caller} prove that instance alive: they refresh its heartbeat, renew the leases of
 * its locks that have not expired, re-register it if it had been declared dead, and return the notices pending for
 * it. Each operation is atomic: it happens whole or not at all, as seen from every process.
 *
 * <p>Expected failures are reported as {@link dev.coord.engine.CoordException}; a store that cannot be reached throws
 * one with {@link dev.coord.engine.ErrorCode#STORE_UNAVAILABLE}.
 */
public interface CoordStore extends AutoCloseable {

    /** A short description for messages, e.g. {@code file:/repo/.claude/coordination}. */
    String describe();

    /** The store's clock: leases and heartbeats are judged by it. */
    Instant now();

    /** Adds or replaces the caller's registry entry. */
    Snapshot register(Instance caller);

    /** Refreshes the caller's heartbeat only (no lease renewal): the process is alive even if its model is idle. */
    void heartbeat(Instance caller);

    /** Removes the instance, its locks and its waits. Idempotent. */
    void unregister(String instanceId, String reason);

    /** Renews the caller's leases and returns the state as it is now. */
    Snapshot touch(Instance caller);

    /** The state as it is now, without a caller. */
    Snapshot read();

    /**
     * Grants every request or none.
     *
     * @param ttl lease length of new and renewed grants
     * @param waitUntil if not null, a caller that cannot be served keeps (or takes) its place in the wait queue until
     *     then; if null, it does not queue
     */
    AcquireOutcome acquire(Instance caller, List<LockRequest> requests, Duration ttl, String reason, Instant waitUntil);

    /**
     * The edit guard's claim on one file the caller is about to edit (see {@code EditClaimRules}): refused with the
     * conflicts when another live session holds a lock or claim covering it (nothing is taken or broken then), nothing
     * when a lock of the caller already covers it, else an exclusive lock marked {@code auto} whose lease is
     * {@code idle} from now. Like {@link #acquire}, it proves the caller alive and renews its other leases.
     *
     * @param sha256 the file's content hash now, or null (missing file)
     */
    EditClaimOutcome claimEdit(Instance caller, String key, String sha256, Duration idle);

    /**
     * Ends the caller's edit claims on these keys (its other locks stay), with release marks as a release leaves.
     *
     * @return the keys whose claim ended
     */
    List<String> endEditClaims(Instance caller, Collection<String> keys, Map<String, String> hashesNow, String reason);

    /** Appends one event to the audit log, for things outside the state (such as a hook call that failed). */
    void recordAudit(String instanceId, String event, Map<String, Object> details);

    /** Leaves the wait queue. */
    void cancelWait(Instance caller);

    /**
     * Releases locks.
     *
     * @param paths keys to release, or null for all of the caller's locks
     * @param force release other instances' locks on these keys too (needs {@code reason})
     * @param hashesNow current content hash per key, recorded to reveal later edits outside any lock
     */
    ReleaseOutcome release(
            Instance caller, List<String> paths, boolean force, String reason, Map<String, String> hashesNow);

    /** Appends a decision with a new unique id; durable when this returns. */
    Decision appendDecision(Instance caller, DecisionDraft draft);

    /** Decisions matching the query, newest first. */
    List<Decision> decisions(DecisionQuery query);

    /** One decision by id. */
    Optional<Decision> decision(String id);

    /** For each of these decision ids that a later decision supersedes: the id of that later decision. */
    Map<String, String> supersededBy(Collection<String> ids);

    /**
     * Claims the first candidate that nobody holds. Of any number of callers claiming one mission at once, in any
     * number of processes, exactly one gets {@code CLAIMED}; each of the others gets {@code TAKEN} with the winner and
     * the time of its claim (or claims a later candidate). In the order of the candidates:
     *
     * <ul>
     *   <li>a request id the caller used before for a claim: {@code REPLAYED} with that claim, whatever the
     *       candidates;
     *   <li>a candidate with an active record of the caller (or, without a record, a file that names the caller):
     *       {@code ALREADY_YOURS} (an adopted file gets a record, {@code CLAIMED});
     *   <li>a candidate held by another instance (active record, or a file that names it): taken over only with
     *       {@code force} and a reason, and only when the holder is dead or its claim is older than
     *       {@link MissionClaim#STALE_AFTER}; the holder is told through a {@code MISSION_TAKEN} notice;
     *   <li>a candidate whose record's revision is not the one the caller expected: skipped ({@code CHANGED});
     *   <li>otherwise the candidate is claimed: a new active, unsettled record with a new revision.
     * </ul>
     *
     * Every change is written to the audit log ({@code mission_claim}, {@code mission_takeover}).
     */
    ClaimOutcome claimMission(Instance caller, ClaimRequest request);

    /**
     * Marks an active mission done or gives it back. Allowed to its claimer; to anyone when the claimer is dead; and
     * to anyone with {@code force} and a reason (the claimer is told). The record gets a new revision, unsettled.
     * Finishing again the same way by the same instance is a retry: {@code replayed}, nothing changes. Audited as
     * {@code mission_done} or {@code mission_give_back}.
     *
     * @throws dev.coord.engine.CoordException NOT_FOUND when no record exists, NOT_HELD when the mission is not
     *     active or another live instance holds it and {@code force} is not given, INVALID_ARGUMENT when
     *     {@code force} comes without a reason
     */
    FinishOutcome finishMission(Instance caller, FinishRequest request);

    /**
     * Sends a message from the caller (a session, or a person's command-line session: role {@code cli}) to the live
     * sessions its address names ({@code MessageRules}), or to the people ({@code person}); a handover moves the
     * caller's locks and mission to the one receiver in the same transaction. The message is durable when this
     * returns.
     *
     * @throws dev.coord.engine.CoordException NOT_FOUND when the address reaches no live session (nothing is kept),
     *     NOT_HELD when a handover names a lock or mission the caller does not hold
     */
    SendOutcome sendMessage(Instance caller, MessageDraft draft);

    /**
     * The caller's messages (a person's command-line session reads the people's), oldest first, marked read for it.
     */
    MessagesRead readMessages(Instance caller, MessageQuery query);

    /** A recipient's unread messages in a few words, read without the store's cross-process exclusion. */
    InboxSummary inbox(String recipient);

    /** The newest messages to anyone, oldest first, at most {@code limit}, for a person watching. */
    List<Message> recentMessages(int limit);

    /**
     * The newest audit events, newest first, at most {@code limit}, read without taking the store's cross-process
     * exclusion (for a person watching, e.g. the dashboard). A store that keeps a bounded log returns what it still
     * has.
     */
    List<AuditEvent> recentAudit(int limit);

    /** Every mission record as it is now, without a caller. */
    List<MissionClaim> missions();

    /**
     * Records that the mission's file now matches revision {@code rev} of its record.
     *
     * @return false when the record is gone or has another revision (it changed meanwhile: settle that one)
     */
    boolean settleMission(String missionId, long rev);

    /**
     * Runs {@code work} while no other caller of any process using this store runs work under the same name, and
     * returns its result. Reentrant in one thread; the store's other operations may be called inside.
     *
     * <p>Why: mission files live outside the store. Deciding a claim is the store's business and needs no help, but
     * the file moves that follow (check that the target does not exist, then rename) must not interleave between
     * processes, and the store is the one thing every process of a repository shares with a cross-process lock. The
     * file store uses a lock file of its own per name, so lock operations do not wait for file moves; a database
     * store would use an advisory lock.
     *
     * @param name a short lower-case word, e.g. {@code missions}
     */
    <T> T exclusively(String name, Supplier<T> work);

    /**
     * Loads what the store caches (logs, indexes) without holding its cross-process exclusion, so that the first calls
     * do not pay for it. Optional; called once, on a background thread, shortly after the server starts serving.
     */
    default void warmUp() {}

    /**
     * Removes dead instances, expired leases and void waits now, and drops messages past retention; returns how many
     * instances, locks and waits it removed.
     */
    int cleanup();

    @Override
    void close();
}
