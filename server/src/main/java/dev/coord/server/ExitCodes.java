package dev.coord.server;

/** Process exit codes; 10-13 are the predecessor's, kept for scripts written against it. */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    /** The command ran and failed: not found, a commit refused by the pre-commit hook, nothing done. */
    public static final int FAILURE = 1;
    /** Bad command line or configuration. */
    public static final int USAGE = 2;
    /** The state could not be opened or the server could not start. */
    public static final int UNAVAILABLE = 3;

    public static final int LOCK_HELD = 10;
    public static final int LOCK_EXPIRED = 11;
    public static final int CONFLICT = 12;
    public static final int STALE_INSTANCE = 13;

    private ExitCodes() {}

    /** The exit code of a failure with this code: the same for the server, the command line and the hooks. */
    public static int of(dev.coord.engine.ErrorCode code) {
        return switch (code) {
            case STORE_UNAVAILABLE, INTERNAL -> UNAVAILABLE;
            case INVALID_ARGUMENT, INVALID_PATH -> USAGE;
            case LOCK_HELD -> LOCK_HELD;
            case CONFLICT, ALREADY_CLAIMED -> CONFLICT;
            case STALE_INSTANCE -> STALE_INSTANCE;
            default -> FAILURE;
        };
    }
}
