package dev.coord.engine.liveness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The scheduler state of a process of this host, read from {@code /proc/<pid>/stat} (Linux): {@code R} running,
 * {@code S}/{@code D} sleeping, {@code T} stopped by a signal, {@code t} stopped by a debugger, {@code Z} a zombie
 * (exited, not yet reaped by its parent), {@code X} dead. Empty where there is no {@code /proc} or no such process.
 */
public final class ProcState {
    private static final Path PROC = Path.of("/proc");

    private ProcState() {}

    public static Optional<Character> of(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            return parse(stat);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The state field of a {@code stat} line: the first field after the command name, which may hold ')' itself. */
    static Optional<Character> parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return Optional.empty();
        }
        return Optional.of(stat.charAt(close + 2));
    }

    /** True for a process that has exited: a zombie waiting for its parent, or one being torn down. */
    public static boolean exited(long pid) {
        return of(pid).map(c -> c == 'Z' || c == 'X' || c == 'x').orElse(false);
    }
}
