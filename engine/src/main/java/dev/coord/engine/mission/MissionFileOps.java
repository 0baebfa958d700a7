package dev.coord.engine.mission;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The two file operations coord performs on mission files, both safe against a crash at any instant. Callers run
 * them while holding the store's {@code missions} exclusive section, so that no other coord process moves or rewrites
 * the same files meanwhile.
 */
public final class MissionFileOps {
    static final String TEMP_SUFFIX = ".tmp";

    private MissionFileOps() {}

    /**
     * Renames {@code from} to {@code to} in one atomic step, refusing to replace anything at {@code to}: the file is
     * in one folder or the other, never both, never neither, and never written over another. ({@code ATOMIC_MOVE}
     * alone silently replaces an existing target on Linux; the check is safe because every coord process moves
     * mission files only inside the exclusive section.)
     *
     * @param durable force both directories to disk, so that the move survives a power loss (without it, a power
     *     loss may undo the move; the file is then in its old folder, whole)
     * @throws FileAlreadyExistsException when {@code to} exists
     */
    public static void moveNoReplace(Path from, Path to, boolean durable) throws IOException {
        Files.createDirectories(to.getParent());
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(
                    to.toString(), from.toString(), "a file of that name is already there; coord never replaces one");
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        if (durable) {
            fsyncDirectory(to.getParent());
            fsyncDirectory(from.getParent());
        }
    }

    /**
     * Replaces the content of {@code file} with {@code content} through a temp file in the same folder (forced to
     * disk, given the file's permissions, then renamed over it), unless the file no longer holds {@code expected}:
     * someone edited it since it was read. The content is always forced before the rename, so that a power loss
     * leaves the old content or the new one, never an empty file.
     *
     * @param durable also force the directory, so that the new content survives a power loss
     * @return false when the file changed since it was read: read it again and redo the edit
     */
    public static boolean replaceIfUnchanged(Path file, byte[] expected, byte[] content, boolean durable)
            throws IOException {
        Path dir = file.getParent();
        Path temp = dir.resolve("." + file.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            copyPermissions(file, temp);
            if (!Arrays.equals(Files.readAllBytes(file), expected)) {
                Files.deleteIfExists(temp);
                return false;
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (durable) {
            fsyncDirectory(dir);
        }
        return true;
    }

    /**
     * Deletes the temp files that writers which died left in a folder ({@code .<name>.<hex>.tmp}). Call only inside
     * the exclusive section: then no live writer has one.
     */
    public static int deleteOrphanTemps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
            for (Path p : stream) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView target = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (source != null && target != null) {
            target.setPermissions(source.readAttributes().permissions());
        }
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename is still atomic there.
        }
    }
}
