package dev.coord.engine.path;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Turns an untrusted path from a model into a lock key (see {@link LockKeys}), or rejects it with
 * {@link ErrorCode#INVALID_PATH}. Keys name real locations: {@code .} segments, doubled slashes and
 * symbolic links are resolved, so every spelling of one file gives one key. Immutable and thread-safe.
 */
public final class PathPolicy {

    private static final String GIT_DIR_NAME = ".git";

    private final Path root;
    private final String stateKey;

    /** A policy for the repository at {@code root}, with no state directory inside it. */
    public PathPolicy(Path root) {
        this(root, null);
    }

    /**
     * @param root the repository root; resolved to its real path
     * @param stateDir coord's state directory (absolute, or relative to the root), or null; when it lies
     *     inside the root, nothing in it can be locked
     * @throws CoordException INVALID_PATH when the root does not exist or the state directory is the root
     */
    public PathPolicy(Path root, Path stateDir) {
        this.root = realRoot(Objects.requireNonNull(root, "root"));
        this.stateKey = stateDir == null ? null : stateKey(this.root, stateDir);
    }

    /** The repository root (a real path). */
    public Path root() {
        return root;
    }

    /**
     * The lock key for a path from a model: relative to the root, or absolute inside it. The key names the
     * real location (symbolic links followed, also for parts that do not exist yet). It is a directory key,
     * ending with {@code /}, when the location is an existing directory, or does not exist and the input ends
     * with {@code /}; an existing file gives a file key even with a trailing {@code /}. The root itself is
     * {@code ./}. Paths inside {@code .git} or the state directory are refused.
     *
     * @throws CoordException INVALID_PATH with a message that names the input and what is allowed
     */
    public String toKey(String input) {
        PathInput.check(input);
        Path lexical = lexical(input);
        Path real = RealPaths.resolve(lexical, input);
        if (!real.startsWith(root)) {
            String where = lexical.startsWith(root) ? " resolves through a symbolic link to " + real + "," : " is";
            throw CoordException.invalidPath("The path " + PathInput.describe(input) + where
                    + " outside the repository " + root + "; only paths inside it can be locked, preferably"
                    + " relative to it, e.g. src/Main.java.");
        }
        String relative = root.relativize(real).toString();
        if (relative.isEmpty()) {
            return LockKeys.WHOLE_REPOSITORY;
        }
        boolean directory = Files.isDirectory(real) || (PathInput.namesDirectory(input) && !Files.exists(real));
        String key = directory ? relative + "/" : relative;
        rejectReserved(key, input);
        return key;
    }

    /**
     * The absolute path a key stands for, to read or hash the file. Accepts only keys in the form
     * {@link #toKey} produces.
     *
     * @throws CoordException INVALID_PATH when the key is not in that form
     */
    public Path resolve(String key) {
        PathInput.check(key);
        if (key.equals(LockKeys.WHOLE_REPOSITORY)) {
            return root;
        }
        String body = LockKeys.isDirectory(key) ? key.substring(0, key.length() - 1) : key;
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw CoordException.invalidPath("The lock key " + PathInput.describe(key)
                        + " is not normalized; keys are relative to the repository root, like src/Main.java.");
            }
        }
        rejectReserved(key, key);
        return root.resolve(body);
    }

    private Path lexical(String input) {
        try {
            Path path = root.getFileSystem().getPath(input);
            Path absolute =
                    path.isAbsolute() ? path.normalize() : root.resolve(path).normalize();
            if (!path.isAbsolute() && !absolute.startsWith(root)) {
                throw CoordException.invalidPath("The path " + PathInput.describe(input)
                        + " leaves the repository with '..'; give a path inside " + root + ", relative to it.");
            }
            return absolute;
        } catch (InvalidPathException e) {
            throw CoordException.invalidPath("The path " + PathInput.describe(input) + " cannot be used here ("
                    + e.getReason() + "); if it has non-ASCII characters, start the server with a UTF-8 locale,"
                    + " e.g. LC_ALL=C.UTF-8.");
        }
    }

    private void rejectReserved(String key, String input) {
        for (String segment : key.split("/")) {
            if (segment.equals(GIT_DIR_NAME)) {
                throw CoordException.invalidPath("The path " + PathInput.describe(input)
                        + " is inside git's own .git data, which cannot be locked; lock working-tree files.");
            }
        }
        String asDirectory = LockKeys.isDirectory(key) ? key : key + "/";
        if (stateKey != null && asDirectory.startsWith(stateKey)) {
            throw CoordException.invalidPath("The path " + PathInput.describe(input)
                    + " is inside coord's state directory " + stateKey + ", which cannot be locked.");
        }
    }

    private static Path realRoot(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new CoordException(
                    ErrorCode.INVALID_PATH,
                    "The repository root " + root + " cannot be resolved (" + e + "); it must be an existing"
                            + " directory.",
                    e);
        }
    }

    /** The state directory as a directory key when it lies inside the root, else null. */
    private static String stateKey(Path root, Path stateDir) {
        Path absolute = root.resolve(stateDir).normalize();
        Path real = RealPaths.resolve(absolute, absolute.toString());
        if (real.equals(root)) {
            throw CoordException.invalidPath("The state directory " + stateDir + " is the repository root " + root
                    + "; use a directory of its own, e.g. .claude/coordination.");
        }
        return real.startsWith(root) ? root.relativize(real) + "/" : null;
    }
}
