package dev.coord.engine.repo;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.IoProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the repository a server works on, by reading git's files directly: it runs at every server start
 * and must not spawn {@code git}.
 */
public final class RepoLocator {

    /** Environment variable set by Claude Code to the directory it was started in. */
    public static final String PROJECT_DIR_ENV = "CLAUDE_PROJECT_DIR";
    /** Environment variable that overrides the state directory (absolute, or relative to the root). */
    public static final String STATE_DIR_ENV = "COORD_STATE_DIR";
    /** The state directory relative to the main worktree, when {@link #STATE_DIR_ENV} is not set. */
    public static final String DEFAULT_STATE_DIR = ".claude/coordination";
    /** Environment variable that sets the missions folder (absolute, or relative to the root). */
    public static final String MISSIONS_DIR_ENV = "COORD_MISSIONS_DIR";
    /** The missions folder relative to the root, when {@link #MISSIONS_DIR_ENV} is not set. */
    public static final String DEFAULT_MISSIONS_DIR = "missions";

    private RepoLocator() {}

    /**
     * Locates the repository. The start directory is {@code CLAUDE_PROJECT_DIR} when it is set (relative values are
     * taken from {@code cwd}), else {@code cwd}. The root is the top level of the git worktree containing the start
     * directory, or the start directory itself outside git.
     *
     * @throws CoordException INVALID_PATH when {@code CLAUDE_PROJECT_DIR} is set but names no directory, when
     *     {@code cwd} does not exist, or when a git file is broken
     */
    public static RepoLayout locate(Path cwd, Map<String, String> env) {
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(env, "env");
        Path start = realDirectory(startDirectory(cwd, env));
        Optional<GitCheckout> checkout = GitCheckout.find(start);
        if (checkout.isEmpty()) {
            return new RepoLayout(start, start, start, null, null, null, false);
        }
        GitCheckout git = checkout.get();
        return new RepoLayout(
                git.topLevel(),
                git.topLevel(),
                git.mainWorktreeRoot(),
                git.gitDir(),
                git.commonDir(),
                GitHead.branch(git.gitDir()),
                true);
    }

    /**
     * The directory holding coordination state: {@code COORD_STATE_DIR} when set (absolute, or relative to
     * the root), else {@code <mainWorktreeRoot>/.claude/coordination}, so that all worktrees of a repository
     * share it. Absolute and normalized; it may not exist yet.
     *
     * @throws CoordException INVALID_PATH when {@code COORD_STATE_DIR} is not a valid path; STORE_UNAVAILABLE when the
     *     directory cannot exist (it, or a parent, is a file)
     */
    public static Path stateDir(RepoLayout layout, Map<String, String> env) {
        Objects.requireNonNull(layout, "layout");
        String configured = value(env, STATE_DIR_ENV);
        Path dir;
        if (configured == null) {
            dir = layout.mainWorktreeRoot().resolve(DEFAULT_STATE_DIR);
        } else {
            try {
                dir = layout.root().resolve(Path.of(configured)).normalize();
            } catch (InvalidPathException e) {
                throw CoordException.invalidPath(STATE_DIR_ENV + "='" + configured + "' is not a valid path ("
                        + e.getReason() + "); set it to an absolute path or one relative to the repository root.");
            }
        }
        // the same check for the server, the command line and the hooks: a state directory that cannot exist is an
        // error, never an empty state
        String blocked = IoProblems.blockedDirectory(dir);
        if (blocked != null) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "the state directory " + dir + (configured == null ? "" : " (" + STATE_DIR_ENV + ")")
                            + " cannot be used: " + blocked + ". "
                            + (configured == null
                                    ? "Move that file away, or set " + STATE_DIR_ENV + " to a directory."
                                    : "Set " + STATE_DIR_ENV + " to a directory, or unset it."));
        }
        return dir;
    }

    /**
     * The missions folder (holding {@code queue/}, {@code active/}, {@code done/}): {@code COORD_MISSIONS_DIR} when
     * set (absolute, or relative to the root), else {@code <root>/missions}. Mission files are the repository's own
     * files, so each worktree has its own folder, while the claims themselves are shared through the state directory.
     * Absolute and normalized; it may not exist (then missions are off).
     *
     * @throws CoordException INVALID_PATH when {@code COORD_MISSIONS_DIR} is not a valid path
     */
    public static Path missionsDir(RepoLayout layout, Map<String, String> env) {
        Objects.requireNonNull(layout, "layout");
        String configured = value(env, MISSIONS_DIR_ENV);
        try {
            return layout.root()
                    .resolve(Path.of(configured == null ? DEFAULT_MISSIONS_DIR : configured))
                    .normalize();
        } catch (InvalidPathException e) {
            throw CoordException.invalidPath(MISSIONS_DIR_ENV + "='" + configured + "' is not a valid path ("
                    + e.getReason() + "); set it to an absolute path or one relative to the repository root.");
        }
    }

    /**
     * Adds {@code /.claude/coordination/} to the repository's {@code info/exclude} unless a line there already
     * ignores it. Never touches {@code .gitignore}; does nothing outside git.
     *
     * @return whether the exclude file was changed
     * @throws IOException when the exclude file cannot be read or written
     */
    public static boolean ensureIgnored(RepoLayout layout) throws IOException {
        Objects.requireNonNull(layout, "layout");
        if (!layout.git()) {
            return false;
        }
        return ExcludeFile.ensure(layout.gitCommonDir());
    }

    /**
     * The branch checked out now, read again from {@code HEAD} (it can change while a server runs). Same
     * format as {@link RepoLayout#branch()}; null outside git or when HEAD cannot be read.
     */
    public static String branch(RepoLayout layout) {
        Objects.requireNonNull(layout, "layout");
        return layout.git() ? GitHead.branch(layout.gitDir()) : null;
    }

    private static Path startDirectory(Path cwd, Map<String, String> env) {
        String projectDir = value(env, PROJECT_DIR_ENV);
        if (projectDir != null) {
            Path candidate;
            try {
                candidate = cwd.toAbsolutePath().resolve(Path.of(projectDir));
            } catch (InvalidPathException e) {
                throw CoordException.invalidPath(
                        PROJECT_DIR_ENV + "='" + projectDir + "' is not a valid path (" + e.getReason() + ").");
            }
            if (!Files.isDirectory(candidate)) {
                // named but unusable: an error, not a silent fall-back to the working directory
                throw CoordException.invalidPath(PROJECT_DIR_ENV + "='" + projectDir + "' names no directory ("
                        + (Files.exists(candidate) ? "it is a file" : "it does not exist")
                        + "); set it to the repository's directory, or unset it to use the working directory.");
            }
            return candidate;
        }
        return cwd;
    }

    private static Path realDirectory(Path dir) {
        try {
            Path real = dir.toRealPath();
            if (!Files.isDirectory(real)) {
                throw CoordException.invalidPath(
                        "The working directory " + dir + " is not a directory; start coord inside the repository.");
            }
            return real;
        } catch (IOException e) {
            throw new CoordException(
                    ErrorCode.INVALID_PATH,
                    "The working directory " + dir + " cannot be resolved (" + e
                            + "); start coord inside an existing repository directory.",
                    e);
        }
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
