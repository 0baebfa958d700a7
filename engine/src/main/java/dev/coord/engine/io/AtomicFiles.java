package dev.coord.engine.io;

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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file operations coord's state and mission files share: whole-file replacement that a reader or a crash never
 * sees half done (a temp file {@code .<name>.<hex>.tmp} in the same directory renamed over the target), a move that
 * never replaces a file, the clean-up of temp files a dead writer left, setting an unreadable file aside, and reading
 * a range of a file at a position.
 */
public final class AtomicFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    /** The suffix of the temp files of {@link #write} and {@link #replaceIfUnchanged}. */
    public static final String TEMP_SUFFIX = ".tmp";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AtomicFiles() {}

    /**
     * Writes a temp file in the same directory, optionally forces it to disk, moves it over the target atomically,
     * and optionally forces the directory entry.
     */
    public static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path temp = writeTemp(target, content, durable);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (durable) {
            fsyncDirectory(target.getParent());
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
        Path temp = writeTemp(file, content, true);
        try {
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
            fsyncDirectory(file.getParent());
        }
        return true;
    }

    /** A new temp file next to {@code target} holding {@code content}, forced to disk when asked. */
    private static Path writeTemp(Path target, byte[] content, boolean force) throws IOException {
        Path temp = target.getParent()
                .resolve("." + target.getFileName() + "."
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (force) {
                ch.force(true);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /**
     * Renames {@code from} to {@code to} in one atomic step, refusing to replace anything at {@code to}: the file is
     * in one folder or the other, never both, never neither, and never written over another. ({@code ATOMIC_MOVE}
     * alone silently replaces an existing target on Linux; the check is safe only when every process moves these
     * files inside one exclusive section, as coord does for mission files.)
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

    /** Forces a directory's entries to disk (best effort: some platforms cannot open a directory). */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename is still atomic there.
        }
    }

    /**
     * Deletes the temp files that writers which died left in a directory ({@code .<name>.<hex>.tmp}). Call only while
     * no live writer can have one (inside the mutex or the exclusive section that every writer takes).
     *
     * @return how many were deleted (0 when the directory does not exist)
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

    /**
     * Renames an unreadable file {@code <name>.corrupt-<time>} so that a new one can start afresh, and logs it.
     *
     * @param problem what is wrong with it, for the message
     * @return the message for the user (also logged)
     */
    public static String setAside(Path file, Instant at, String problem) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + STAMP.format(at));
        Files.move(file, aside);
        String message = file.getFileName() + " was unreadable (" + problem + "); set aside as " + aside.getFileName()
                + " and started afresh";
        LOG.warn(message);
        return message;
    }

    /** Up to {@code length} bytes of the file from position {@code from} (fewer at the end of the file). */
    public static byte[] readAt(FileChannel ch, long from, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long pos = from;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
        return buf.position() == length ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView target = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (source != null && target != null) {
            target.setPermissions(source.readAttributes().permissions());
        }
    }
}
