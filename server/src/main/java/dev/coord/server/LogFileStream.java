package dev.coord.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code COORD_LOG_FILE}: appends to the file (several sessions of one repository usually share one setting, hence one
 * file) and writes whole lines only, each batch of complete lines in one {@code write} call on an append channel, so
 * that the lines of several processes never cut into each other. Bytes after the last newline wait for the rest of
 * their line.
 */
final class LogFileStream extends OutputStream {
    private final FileChannel channel;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);

    LogFileStream(Path file) throws IOException {
        this.channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        pending.write(b);
        if (b == '\n') {
            drain(pending.size());
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        pending.write(b, off, len);
        for (int i = off + len - 1; i >= off; i--) {
            if (b[i] == '\n') {
                drain(pending.size() - (off + len - 1 - i));
                return;
            }
        }
    }

    /** Writes the first {@code upTo} pending bytes (whole lines) in one call and keeps the rest. */
    private void drain(int upTo) throws IOException {
        byte[] all = pending.toByteArray();
        ByteBuffer lines = ByteBuffer.wrap(all, 0, upTo);
        while (lines.hasRemaining()) {
            channel.write(lines);
        }
        pending.reset();
        pending.write(all, upTo, all.length - upTo);
    }

    @Override
    public synchronized void close() throws IOException {
        if (pending.size() > 0) {
            drain(pending.size());
        }
        channel.close();
    }
}
