package dev.coord.engine.model;

import java.time.Instant;

/**
 * A lock granted (or renewed) by an acquire call.
 *
 * @param path lock key
 * @param mode granted mode
 * @param token fencing token
 * @param expiresAt end of the lease
 * @param renewed true if the caller already held it and the lease was only extended
 * @param changedSinceRelease true if the file differs from what its last holder released (an edit outside any lock)
 * @param lastReleasedBy who released it last, when {@code changedSinceRelease}
 */
public record Grant(
        String path,
        LockMode mode,
        long token,
        Instant expiresAt,
        boolean renewed,
        boolean changedSinceRelease,
        String lastReleasedBy) {}
