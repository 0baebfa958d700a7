package dev.coord.engine;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Says what went wrong with a file in words a person can act on. The JDK's {@link FileSystemException} often carries
 * only the path as its message (an {@link AccessDeniedException} is just {@code /x/y}), so a message built from
 * {@code getMessage()} loses the cause: permission denied, read-only file system, not a directory.
 */
public final class IoProblems {
    private IoProblems() {}

    /**
     * {@code <file>: <why>}, e.g. {@code /srv/state: permission denied}; just {@code <why>} when the file is
     * {@code context} (the caller names it already).
     */
    public static String describe(IOException e, Path context) {
        if (e instanceof FileSystemException f
                && f.getFile() != null
                && f.getOtherFile() == null
                && context != null
                && Path.of(f.getFile()).equals(context)) {
            return why(f);
        }
        return describe(e);
    }

    /** {@code <file>: <why>}, e.g. {@code /srv/state: permission denied}. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile();
            String why = why(f);
            String other = f.getOtherFile() == null ? "" : " (and " + f.getOtherFile() + ")";
            return (file == null ? "" : file + other + ": ") + why;
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String why(FileSystemException f) {
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            return f.getFile() != null && !Files.isDirectory(Path.of(f.getFile()))
                    ? "a file of that name exists where a directory is needed"
                    : "already exists";
        }
        if (f instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        String reason = f.getReason();
        if (reason == null || reason.isBlank()) {
            return f.getClass().getSimpleName();
        }
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }

    /**
     * Why a directory that may not exist yet cannot be created: the nearest existing ancestor (or the directory itself)
     * is not a directory. Null when nothing in the way is found (creating it may still fail, e.g. on permissions).
     */
    public static String blockedDirectory(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
                if (Files.isDirectory(p)) {
                    return null;
                }
                String kind = Files.isRegularFile(p) ? "a regular file" : "not a directory";
                return p.equals(dir.toAbsolutePath().normalize())
                        ? p + " is " + kind + ", not a directory"
                        : "not a directory: " + p + " is " + kind;
            }
        }
        return null;
    }
}
