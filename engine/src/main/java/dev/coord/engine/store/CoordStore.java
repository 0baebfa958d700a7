package dev.coord.engine.store;

import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.ReleaseOutcome;
import dev.coord.engine.model.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** Removes dead instances, expired leases and void waits now; returns how many entries it removed. */
    int cleanup();

    @Override
    void close();
}
