package dev.coord.engine.model;

import java.time.Instant;

/**
 * Why a wanted path could not be granted.
 *
 * @param path the wanted key
 * @param heldPath the key that blocks it (may be a parent directory or a file under a wanted directory)
 * @param heldBy who blocks it
 * @param mode the blocking mode
 * @param token the blocking grant's token (0 for a waiter)
 * @param since when the blocker got it (or started waiting)
 * @param expiresAt when the blocking lease ends (or the waiter gives up)
 * @param waiting true if the blocker does not hold the path yet but queued for it first
 */
public record Conflict(
        String path,
        String heldPath,
        HolderRef heldBy,
        LockMode mode,
        long token,
        Instant since,
        Instant expiresAt,
        boolean waiting) {}
