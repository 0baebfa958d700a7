package dev.coord.engine.path;

import dev.coord.engine.CoordException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Checks on the raw text of a path from a model, before it touches the file system. */
final class PathInput {

    static final int MAX_LENGTH = 4096;
    static final int MAX_SEGMENT_BYTES = 255;

    private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);
    private static final int SHOWN_CHARS = 120;
    private static final String EXAMPLE = "e.g. src/Main.java, or ./ for the whole repository";

    private PathInput() {}

    /**
     * Rejects text that can never be a usable repository path: blank, too long, control characters,
     * Windows syntax, names over 255 bytes.
     *
     * @throws CoordException INVALID_PATH naming the input and what is allowed
     */
    static void check(String input) {
        if (input == null || input.isBlank()) {
            throw CoordException.invalidPath("The path is empty; give a file or directory relative to the"
                    + " repository root, " + EXAMPLE + ".");
        }
        if (input.length() > MAX_LENGTH) {
            throw CoordException.invalidPath("The path " + describe(input) + " is " + input.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed.");
        }
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (Character.isISOControl(c)) {
                throw CoordException.invalidPath("The path " + describe(input) + " contains the control character "
                        + escape(c) + "; paths must not contain NUL, tabs, newlines or other control characters.");
            }
        }
        if (input.indexOf('\\') >= 0 || DRIVE_LETTER.matcher(input).matches()) {
            throw CoordException.invalidPath("The path " + describe(input) + " looks like a Windows path; use"
                    + " forward slashes, relative to the repository root, " + EXAMPLE + ".");
        }
        for (String segment : input.split("/")) {
            int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_SEGMENT_BYTES) {
                throw CoordException.invalidPath("The path " + describe(input) + " has a name of " + bytes
                        + " bytes; each file or directory name may have at most " + MAX_SEGMENT_BYTES
                        + " bytes (UTF-8).");
            }
        }
    }

    /** Whether the text asks for a directory: it ends with {@code /}, {@code /.} or {@code /..}, or is {@code .}. */
    static boolean namesDirectory(String input) {
        return input.endsWith("/")
                || input.equals(".")
                || input.equals("..")
                || input.endsWith("/.")
                || input.endsWith("/..");
    }

    /** The input quoted for an error message: control characters escaped, long inputs shortened. */
    static String describe(String input) {
        StringBuilder out = new StringBuilder("'");
        int shown = Math.min(input.length(), SHOWN_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = input.charAt(i);
            out.append(Character.isISOControl(c) ? escape(c) : String.valueOf(c));
        }
        out.append('\'');
        if (shown < input.length()) {
            out.append(" (shortened, ").append(input.length()).append(" characters)");
        }
        return out.toString();
    }

    private static String escape(char c) {
        return String.format("\\u%04X", (int) c);
    }
}
