package dev.coord.engine;

import java.util.Objects;

/**
 * An expected failure with a stable {@link ErrorCode} and a message written for the caller (often a model):
 * what was wrong, naming the bad value, and what to do next.
 */
public class CoordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient NextStep next;

    public CoordException(ErrorCode code, String message) {
        this(code, message, (NextStep) null);
    }

    /**
     * A failure whose message states the facts and whose {@code next} says what the caller can do, for the reader's
     * layer to phrase (see {@link NextStep}).
     */
    public CoordException(ErrorCode code, String message, NextStep next) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.next = next;
    }

    public CoordException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.next = null;
    }

    public ErrorCode code() {
        return code;
    }

    /** What the caller can do next, or null when the message says all there is. */
    public NextStep next() {
        return next;
    }

    public static CoordException invalidArgument(String message) {
        return new CoordException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static CoordException invalidPath(String message) {
        return new CoordException(ErrorCode.INVALID_PATH, message);
    }

    public static CoordException notFound(String message) {
        return new CoordException(ErrorCode.NOT_FOUND, message);
    }
}
