package dev.coord.engine.repo;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The git directories of one worktree, found by reading {@code .git}, {@code gitdir:} and {@code commondir}
 * the way git does, without running git.
 */
record GitCheckout(Path topLevel, Path gitDir, Path commonDir) {

    private static final String GITDIR_PREFIX = "gitdir:";

    /**
     * The worktree containing {@code start} (a real path): the nearest ancestor with a {@code .git} directory
     * holding a {@code HEAD}, or a {@code .git} file. Empty when there is none.
     *
     * @throws CoordException INVALID_PATH when a {@code .git} file is unreadable or points nowhere
     */
    static Optional<GitCheckout> find(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path dotGit = dir.resolve(".git");
            if (Files.isDirectory(dotGit)) {
                if (Files.isRegularFile(dotGit.resolve("HEAD"))) {
                    return Optional.of(of(dir, dotGit));
                }
            } else if (Files.isRegularFile(dotGit)) {
                return Optional.of(of(dir, gitDirFromFile(dotGit)));
            }
        }
        return Optional.empty();
    }

    private static GitCheckout of(Path topLevel, Path gitDir) {
        Path realGitDir = realPath(gitDir);
        return new GitCheckout(realPath(topLevel), realGitDir, commonDirOf(realGitDir));
    }

    /** Reads a {@code .git} file ({@code gitdir: <path>}, relative to the file's directory). */
    private static Path gitDirFromFile(Path dotGitFile) {
        String content = read(dotGitFile).strip();
        if (!content.startsWith(GITDIR_PREFIX)) {
            throw CoordException.invalidPath("The git file " + dotGitFile + " does not start with '" + GITDIR_PREFIX
                    + "'; repair or remove it so coord can find the repository.");
        }
        Path gitDir = dotGitFile
                .getParent()
                .resolve(content.substring(GITDIR_PREFIX.length()).strip())
                .normalize();
        if (!Files.isRegularFile(gitDir.resolve("HEAD"))) {
            throw CoordException.invalidPath("The git file " + dotGitFile + " points to " + gitDir
                    + ", which is not a git directory; if the repository was moved, run 'git worktree repair'"
                    + " in its main worktree.");
        }
        return gitDir;
    }

    /** A linked worktree's git dir names the shared one in {@code commondir}; otherwise it is shared itself. */
    private static Path commonDirOf(Path gitDir) {
        Path commondirFile = gitDir.resolve("commondir");
        if (!Files.isRegularFile(commondirFile)) {
            return gitDir;
        }
        Path common = gitDir.resolve(read(commondirFile).strip()).normalize();
        if (!Files.isDirectory(common)) {
            throw CoordException.invalidPath("The file " + commondirFile + " points to " + common
                    + ", which is not a directory; run 'git worktree repair' in the main worktree.");
        }
        return realPath(common);
    }

    /**
     * The main worktree: where this worktree is the main one (its git dir is the shared one), its own top
     * level; else the parent of a common dir named {@code .git}; else (bare repository) the common dir.
     */
    Path mainWorktreeRoot() {
        if (gitDir.equals(commonDir)) {
            return topLevel;
        }
        Path name = commonDir.getFileName();
        if (name != null && name.toString().equals(".git") && commonDir.getParent() != null) {
            return commonDir.getParent();
        }
        return commonDir;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CoordException(
                    ErrorCode.INVALID_PATH,
                    "Cannot read the git file " + file + " (" + e + "); check its permissions.",
                    e);
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new CoordException(
                    ErrorCode.INVALID_PATH,
                    "Cannot resolve " + path + " (" + e + "); check that it exists and is readable.",
                    e);
        }
    }
}
