package dev.coord.engine;

import java.util.Objects;

/**
 * An expected failure with a stable {@link ErrorCode} and a message written for the caller (often a model):
 * what was wrong, naming the bad value, and what to do next.
 */
public class CoordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public CoordException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public CoordException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
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
