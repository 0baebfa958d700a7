package dev.coord.engine;

/**
 * Stable error codes. They are part of the public contract: tools report them to the model, the CLI maps
 * them to exit codes, and scripts match on them. Never rename one.
 */
public enum ErrorCode {
    /** A lock is held by another live instance. */
    LOCK_HELD,
    /** The caller's lock lease expired or was taken over; it must be acquired again. */
    LOCK_LOST,
    /** The caller tried to release or change a lock it does not hold. */
    NOT_HELD,
    /** Conflicting requests inside one call, or an edit detected behind a lock. */
    CONFLICT,
    /** The calling instance is not registered or was declared dead. */
    STALE_INSTANCE,
    /** A path is malformed, outside the repository, or otherwise unusable. */
    INVALID_PATH,
    /** An argument is missing, of the wrong type or out of range. */
    INVALID_ARGUMENT,
    /** An id (decision, mission, instance) does not exist. */
    NOT_FOUND,
    /** A mission was claimed by someone else first. */
    ALREADY_CLAIMED,
    /** The shared state could not be read or written. */
    STORE_UNAVAILABLE,
    /** Something unexpected: a bug. The message says what. */
    INTERNAL
}
