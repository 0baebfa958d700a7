package dev.coord.engine.store.file;

import dev.coord.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only JSON Lines file. Each call is one {@code write()} on an append channel, so records from several
 * processes never interleave; a record torn by a crash is closed with a newline before the next one is written, and
 * one torn by a failed write (disk full) is cut off at once.
 * Call only while holding the store mutex.
 */
final class AppendLog {
    private final Path file;
    private final boolean durable;
    private final long rotateAtBytes;

    /**
     * @param durable force each append to disk before returning
     * @param rotateAtBytes when the file is larger, it is renamed to {@code <name>.1} (replacing an older one) before
     *     the next append; 0 never rotates
     */
    AppendLog(Path file, boolean durable, long rotateAtBytes) {
        this.file = file;
        this.durable = durable;
        this.rotateAtBytes = rotateAtBytes;
    }

    Path path() {
        return file;
    }

    void append(byte[] records) throws IOException {
        if (records.length == 0) {
            return;
        }
        if (rotateAtBytes > 0 && Files.exists(file) && Files.size(file) > rotateAtBytes) {
            Files.move(
                    file,
                    file.resolveSibling(file.getFileName() + ".1"),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        boolean created = !Files.exists(file);
        byte[] out = endsTorn() ? prependNewline(records) : records;
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long before = ch.size();
            try {
                ByteBuffer buf = ByteBuffer.wrap(out);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (durable) {
                    ch.force(false);
                }
            } catch (IOException e) {
                cutBack(ch, before, e);
                throw e;
            }
        }
        if (durable && created) {
            AtomicFiles.fsyncDirectory(file.getParent());
        }
    }

    /**
     * A failed append (the disk filled up, or the file system turned read-only, in the middle of the write) is cut
     * off again, so that no torn record is left behind; the caller holds the mutex, so nobody appended after it.
     */
    static void cutBack(FileChannel ch, long size, IOException failure) {
        try {
            if (ch.size() > size) {
                ch.truncate(size);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** True if the last record was cut short by a crash (the file does not end with a newline). */
    private boolean endsTorn() throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }

    private static byte[] prependNewline(byte[] records) {
        byte[] out = new byte[records.length + 1];
        out[0] = '\n';
        System.arraycopy(records, 0, out, 1, records.length);
        return out;
    }
}
