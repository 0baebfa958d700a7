package dev.coord.engine.mission;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A mission file that coord cannot read. The message has the form {@code <file>:<line>: <problem>} so that the
 * user can open the file at the line and fix it.
 */
final class MissionFormatException extends CoordException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String problem;

    MissionFormatException(Path file, int line, String problem) {
        super(ErrorCode.INVALID_ARGUMENT, file + ":" + line + ": " + problem);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The mission file, as given to {@link MissionDocument#parse}. */
    public Path file() {
        return file;
    }

    /** The 1-based line where the problem is. */
    public int line() {
        return line;
    }

    /** What is wrong, without the file and line. */
    public String problem() {
        return problem;
    }
}
