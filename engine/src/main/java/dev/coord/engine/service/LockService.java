package dev.coord.engine.service;

import dev.coord.engine.ContentHasher;
import dev.coord.engine.CoordException;
import dev.coord.engine.EngineSettings;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.Session;
import dev.coord.engine.Sleeper;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.ReleaseOutcome;
import dev.coord.engine.model.Released;
import dev.coord.engine.path.LockKeys;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.store.CoordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Acquire and release of advisory locks for this session: paths to lock keys ({@link PathPolicy}), the content hash
 * of each file, and waiting (polling the store until the deadline). The arguments come checked by the tools.
 */
public final class LockService {
    private static final Duration FIRST_POLL = Duration.ofMillis(10);
    private static final Duration MAX_POLL = Duration.ofMillis(200);

    private final CoordStore store;
    private final Session session;
    private final PathPolicy paths;
    private final EngineSettings settings;
    private final Sleeper sleeper;

    public LockService(CoordStore store, Session session, PathPolicy paths, EngineSettings settings, Sleeper sleeper) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The settings this service applies (the default lease, the longest lease and wait). */
    public EngineSettings settings() {
        return settings;
    }

    /**
     * Acquires every path or none.
     *
     * @param rawPaths repository paths as the caller wrote them (at least one)
     * @param mode the lock mode
     * @param ttl the lease, null for the default
     * @param reason why, shown to others, or null
     * @param wait wait up to this long for held paths (first come, first served); zero fails at once
     */
    public AcquireOutcome acquire(List<String> rawPaths, LockMode mode, Duration ttl, String reason, Duration wait) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(wait, "wait");
        List<String> keys = keys(rawPaths);
        Duration lease = ttl == null ? settings.defaultTtl() : ttl;
        if (wait.isZero()) {
            return store.acquire(session.self(), requests(keys, mode), lease, reason, null);
        }
        Instant deadline = store.now().plus(wait);
        Duration poll = FIRST_POLL;
        boolean done = false;
        try {
            while (true) {
                // Hash on every attempt: the holder may edit the file while this call waits, and the grant must
                // record the content as it is when granted.
                AcquireOutcome outcome = store.acquire(session.self(), requests(keys, mode), lease, reason, deadline);
                if (outcome.acquired() || !store.now().isBefore(deadline)) {
                    done = outcome.acquired();
                    return outcome;
                }
                sleeper.sleep(poll);
                poll = poll.multipliedBy(3).dividedBy(2);
                if (poll.compareTo(MAX_POLL) > 0) {
                    poll = MAX_POLL;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordException(ErrorCode.INTERNAL, "interrupted while waiting for " + keys);
        } finally {
            if (!done) {
                store.cancelWait(session.self());
            }
        }
    }

    /** One request per key, with the file's content hash as it is now (null for directories). */
    private List<LockRequest> requests(List<String> keys, LockMode mode) {
        List<LockRequest> requests = new ArrayList<>();
        for (String key : keys) {
            String hash = LockKeys.isDirectory(key) ? null : ContentHasher.hash(paths.resolve(key));
            requests.add(new LockRequest(key, mode, hash));
        }
        return requests;
    }

    /** What a release did, with whether each file changed while it was held. */
    public record ReleaseResult(List<ReleasedLock> released, ReleaseOutcome outcome) {}

    /**
     * @param changed null for directories; true if the file's content differs from what it was at grant
     */
    public record ReleasedLock(String path, LockMode mode, long token, Boolean changed, String forcedFrom) {}

    /**
     * Releases the named paths, or all of this session's locks.
     *
     * @param rawPaths repository paths as the caller wrote them, or null for every lock this session holds
     * @param force release other sessions' locks on the named paths (needs a reason; recorded and told to them)
     */
    public ReleaseResult release(List<String> rawPaths, boolean force, String reason) {
        boolean all = rawPaths == null;
        if (force && (all || reason == null || reason.isBlank())) {
            throw CoordException.invalidArgument(
                    "a forced release names the paths and gives a reason: it is recorded and shown to the holder");
        }
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        List<String> keys = all ? null : keys(rawPaths);
        Map<String, String> hashesNow = new HashMap<>();
        List<String> toHash = keys;
        if (toHash == null) {
            toHash = new ArrayList<>();
            for (LockRecord l : store.read().locks()) {
                if (l.holder().equals(session.id())) {
                    toHash.add(l.path());
                }
            }
        }
        for (String key : toHash) {
            if (!LockKeys.isDirectory(key)) {
                String h = ContentHasher.hash(paths.resolve(key));
                if (h != null) {
                    hashesNow.put(key, h);
                }
            }
        }
        ReleaseOutcome outcome = store.release(session.self(), keys, force, why, hashesNow);
        List<ReleasedLock> released = new ArrayList<>();
        for (Released r : outcome.released()) {
            Boolean changed = null;
            if (r.sha256AtGrant() != null
                    && Objects.equals(r.worktree(), session.self().worktree())) {
                String now = hashesNow.containsKey(r.path())
                        ? hashesNow.get(r.path())
                        : ContentHasher.hash(paths.resolve(r.path()));
                changed = !r.sha256AtGrant().equals(now);
            }
            released.add(new ReleasedLock(r.path(), r.mode(), r.token(), changed, r.forced() ? r.holder() : null));
        }
        return new ReleaseResult(released, outcome);
    }

    private List<String> keys(List<String> rawPaths) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String raw : rawPaths) {
            keys.add(paths.toKey(raw));
        }
        return List.copyOf(keys);
    }
}
