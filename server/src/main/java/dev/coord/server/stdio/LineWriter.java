package dev.coord.server.stdio;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises newline-delimited messages onto one output stream (the process's real stdout) so that each line
 * reaches it whole, in one {@code write} followed by a {@code flush}, never interleaved with another line.
 *
 * <p>A producer either hands over complete lines with {@link #writeLine(byte[])}, or writes through a stream of
 * its own from {@link #newStream()}: that stream holds bytes back until {@code '\n'} and then commits the whole
 * line. The MCP SDK's stdio transport writes a message as two {@code write} calls (the JSON, then {@code "\n"})
 * and a {@code flush}, synchronised on its own stream object only; a stream of its own keeps its half-written
 * messages out of sight of every other producer.
 */
public final class LineWriter {

    private static final Logger log = LoggerFactory.getLogger(LineWriter.class);
    private static final int INITIAL_BUFFER_BYTES = 8 * 1024;
    private static final int RETAINED_BUFFER_BYTES = 64 * 1024;

    private final OutputStream out;
    private final Object lock = new Object();
    private long streamLines;

    /** @param out the destination; only this writer may write to it from now on */
    public LineWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Returns a new stream for one producer. Bytes written to it appear on the destination only as complete
     * lines; {@code flush()} does not push out an unterminated line, and {@code close()} drops one. The stream is
     * thread-safe, but lines from threads that share one stream are only as whole as their callers keep them.
     */
    public OutputStream newStream() {
        return new LineBufferingStream();
    }

    /**
     * Writes {@code line} followed by {@code '\n'} as one whole line.
     *
     * @param line the line without its terminator
     * @throws IllegalArgumentException if {@code line} contains {@code '\n'}
     * @throws IOException if the destination fails
     */
    public void writeLine(byte[] line) throws IOException {
        for (byte b : line) {
            if (b == '\n') {
                throw new IllegalArgumentException("a line must not contain '\\n'");
            }
        }
        byte[] whole = Arrays.copyOf(line, line.length + 1);
        whole[line.length] = '\n';
        commit(whole, whole.length);
    }

    private void commit(byte[] bytes, int length) throws IOException {
        synchronized (lock) {
            out.write(bytes, 0, length);
            out.flush();
        }
    }

    /**
     * Waits until at least {@code lines} whole lines have been written through {@link #newStream() streams} (not
     * {@link #writeLine}): the server's responses, as opposed to the guard's own error answers.
     *
     * @return true if they have, false if the timeout passed first
     */
    public boolean awaitStreamLines(long lines, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (streamLines < lines) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    private void commitLine(byte[] bytes, int length) throws IOException {
        synchronized (lock) {
            try {
                out.write(bytes, 0, length);
                out.flush();
            } finally {
                streamLines++;
                lock.notifyAll();
            }
        }
    }

    /** Buffers one producer's bytes until a line is complete. */
    private final class LineBufferingStream extends OutputStream {

        private byte[] buffer = new byte[INITIAL_BUFFER_BYTES];
        private int length;
        private boolean closed;

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int count) throws IOException {
            Objects.checkFromIndexSize(offset, count, bytes.length);
            if (closed) {
                throw new IOException("stream closed");
            }
            int start = offset;
            int end = offset + count;
            for (int i = offset; i < end; i++) {
                if (bytes[i] == '\n') {
                    append(bytes, start, i + 1 - start);
                    start = i + 1;
                    commitBuffer();
                }
            }
            append(bytes, start, end - start);
        }

        /** Complete lines are flushed as they are committed; an unterminated line is held back on purpose. */
        @Override
        public void flush() {}

        @Override
        public synchronized void close() {
            if (length > 0) {
                log.warn("Dropping {} bytes of an unterminated output line", length);
            }
            closed = true;
            length = 0;
            buffer = new byte[0];
        }

        private void append(byte[] bytes, int offset, int count) {
            if (count == 0) {
                return;
            }
            int needed = length + count;
            if (needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
            }
            System.arraycopy(bytes, offset, buffer, length, count);
            length = needed;
        }

        private void commitBuffer() throws IOException {
            try {
                commitLine(buffer, length);
            } finally {
                length = 0;
                if (buffer.length > RETAINED_BUFFER_BYTES) {
                    buffer = new byte[INITIAL_BUFFER_BYTES];
                }
            }
        }
    }
}
