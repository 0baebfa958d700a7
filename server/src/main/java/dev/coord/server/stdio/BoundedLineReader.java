package dev.coord.server.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Splits a byte stream into lines ended by {@code '\n'}, with one {@code '\r'} before it removed, and never holds
 * more than {@code maxLineBytes + 1} bytes of a line: a longer line is read to its end and thrown away as it
 * goes, then reported as {@link Line#oversized(long)}. A last line without a terminator still counts.
 * Not thread-safe: one reader thread.
 */
final class BoundedLineReader {

    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int INITIAL_LINE_BYTES = 8 * 1024;
    private static final int RETAINED_LINE_BYTES = 1024 * 1024;

    /**
     * One line: its bytes without the terminator, or, for a line over the limit, only its length (which may count
     * the {@code '\r'} of a {@code "\r\n"} ending).
     */
    record Line(byte[] content, long length) {

        static Line of(byte[] content) {
            return new Line(content, content.length);
        }

        static Line oversized(long length) {
            return new Line(null, length);
        }

        boolean isOversized() {
            return content == null;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int chunkPos;
    private int chunkEnd;
    private boolean endOfInput;

    private final int initialLineBytes;
    private byte[] line;
    private int lineLength;
    private boolean discarding;
    private long discardedLength;
    private int peakLineBufferBytes;

    BoundedLineReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxLineBytes out of range: " + maxLineBytes);
        }
        this.in = Objects.requireNonNull(in, "in");
        this.maxLineBytes = maxLineBytes;
        this.initialLineBytes = Math.min(INITIAL_LINE_BYTES, maxLineBytes + 1);
        this.line = new byte[initialLineBytes];
        this.peakLineBufferBytes = initialLineBytes;
    }

    /**
     * Blocks for the next line.
     *
     * @return the line, or {@code null} at the end of input
     * @throws IOException if reading fails
     */
    Line next() throws IOException {
        while (true) {
            if (chunkPos == chunkEnd) {
                int n = endOfInput ? -1 : in.read(chunk, 0, chunk.length);
                if (n < 0) {
                    endOfInput = true;
                    return lineLength > 0 || discarding ? finishLine() : null;
                }
                chunkPos = 0;
                chunkEnd = n;
                continue;
            }
            int newline = indexOfNewline();
            int end = newline < 0 ? chunkEnd : newline;
            append(end - chunkPos);
            chunkPos = newline < 0 ? chunkEnd : newline + 1;
            if (newline >= 0) {
                return finishLine();
            }
        }
    }

    /** The largest line buffer this reader has held, for tests of its memory bound. */
    int peakLineBufferBytes() {
        return peakLineBufferBytes;
    }

    private int indexOfNewline() {
        for (int i = chunkPos; i < chunkEnd; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int count) {
        if (discarding) {
            discardedLength += count;
            return;
        }
        // One byte over the limit is kept: it may be the '\r' of a "\r\n" ending.
        if ((long) lineLength + count > (long) maxLineBytes + 1) {
            discarding = true;
            discardedLength = (long) lineLength + count;
            lineLength = 0;
            line = new byte[initialLineBytes];
            return;
        }
        int needed = lineLength + count;
        if (needed > line.length) {
            int grown = (int) Math.min((long) maxLineBytes + 1, Math.max(needed, 2L * line.length));
            line = Arrays.copyOf(line, grown);
            peakLineBufferBytes = Math.max(peakLineBufferBytes, grown);
        }
        System.arraycopy(chunk, chunkPos, line, lineLength, count);
        lineLength = needed;
    }

    private Line finishLine() {
        if (discarding) {
            discarding = false;
            long length = discardedLength;
            discardedLength = 0;
            return Line.oversized(length);
        }
        int length = lineLength;
        lineLength = 0;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (length > maxLineBytes) {
            return Line.oversized(length);
        }
        byte[] content = Arrays.copyOf(line, length);
        if (line.length > RETAINED_LINE_BYTES) {
            line = new byte[initialLineBytes];
        }
        return Line.of(content);
    }
}
