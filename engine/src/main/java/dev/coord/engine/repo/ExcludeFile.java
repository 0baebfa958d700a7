package dev.coord.engine.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Keeps the coordination state out of {@code git status} through the repository's {@code info/exclude},
 * which is local to the clone and shared by its worktrees; the user's {@code .gitignore} is never touched.
 */
final class ExcludeFile {

    static final String LINE = "/.claude/coordination/";

    /** Patterns that already ignore {@code <top>/.claude/coordination/} when written at the start of a line. */
    private static final Set<String> EQUIVALENT = Set.of(
            ".claude",
            ".claude/",
            "/.claude",
            "/.claude/",
            ".claude/coordination",
            ".claude/coordination/",
            "/.claude/coordination",
            "/.claude/coordination/");

    private ExcludeFile() {}

    /**
     * Appends {@link #LINE} to {@code <commonDir>/info/exclude} unless a line already ignores the state dir.
     * Existing content is kept byte for byte; a missing final newline is added first.
     *
     * @return whether the file was changed
     */
    static boolean ensure(Path commonDir) throws IOException {
        Path exclude = commonDir.resolve("info").resolve("exclude");
        byte[] existing = Files.isRegularFile(exclude) ? Files.readAllBytes(exclude) : new byte[0];
        if (ignores(new String(existing, StandardCharsets.UTF_8))) {
            return false;
        }
        Files.createDirectories(exclude.getParent());
        boolean needsNewline = existing.length > 0 && existing[existing.length - 1] != '\n';
        String addition = (needsNewline ? "\n" : "") + LINE + "\n";
        // One write on an append channel: a concurrent writer cannot split the line.
        Files.write(
                exclude,
                addition.getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        return true;
    }

    /** Whether the last line about the state dir ignores it (a later {@code !pattern} re-includes it). */
    static boolean ignores(String content) {
        boolean ignored = false;
        for (String raw : content.split("\n", -1)) {
            String line = raw.strip();
            if (EQUIVALENT.contains(line)) {
                ignored = true;
            } else if (line.startsWith("!") && EQUIVALENT.contains(line.substring(1))) {
                ignored = false;
            }
        }
        return ignored;
    }
}
