package dev.coord.engine.model;

import dev.coord.engine.ErrorCode;

/**
 * A path a release call named but the caller did not hold.
 *
 * @param path lock key
 * @param code {@link ErrorCode#NOT_HELD}, or {@link ErrorCode#LOCK_LOST} if the caller had it and lost it
 * @param heldBy who holds it now, or null if free
 * @param token the current holder's token, or 0
 */
public record NotHeld(String path, ErrorCode code, HolderRef heldBy, long token) {}
