package dev.coord.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the real stdout: records every {@code write} call as one chunk and hands out the lines they
 * form, waiting for them with a timeout. A chunk that is not exactly one whole line is recorded as well, so a
 * test can check that lines arrive in one piece.
 */
final class RecordingOutputStream extends OutputStream {

    private final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private int flushes;

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int count) {
        String chunk = new String(Arrays.copyOfRange(bytes, offset, offset + count), StandardCharsets.UTF_8);
        all.add(chunk);
        chunks.add(chunk);
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }

    /** The next chunk, which must be exactly one line; returned without its {@code '\n'}. */
    String nextLine() throws InterruptedException {
        String chunk = chunks.poll(10, TimeUnit.SECONDS);
        assertThat(chunk).as("a line on stdout within 10 s").isNotNull();
        assertThat(chunk).as("one whole line per write").endsWith("\n");
        assertThat(chunk.indexOf('\n')).as("one line per write").isEqualTo(chunk.length() - 1);
        return chunk.substring(0, chunk.length() - 1);
    }

    /** Every chunk written so far, including those already taken with {@link #nextLine()}. */
    synchronized List<String> chunks() {
        return List.copyOf(all);
    }

    /** Chunks not yet taken with {@link #nextLine()}. */
    List<String> pending() {
        return List.copyOf(chunks);
    }

    synchronized int flushes() {
        return flushes;
    }
}
