package dev.coord.server.stdio;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The stdin the SDK sees: a queue of whole lines filled by the guard, ending with {@link #end()}. Holds at most
 * about {@code maxQueuedBytes} (one line always fits) and makes the producer wait beyond that. A blocked read
 * can be interrupted. Thread-safe.
 */
final class LineQueueInputStream extends InputStream {

    private static final byte[] NOTHING = new byte[0];

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> lines = new ArrayDeque<>();
    private final long maxQueuedBytes;
    private final CountDownLatch readerSawEnd = new CountDownLatch(1);
    private long queuedBytes;
    private byte[] current = NOTHING;
    private int position;
    private boolean ended;
    private boolean closed;

    LineQueueInputStream(long maxQueuedBytes) {
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive: " + maxQueuedBytes);
        }
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /**
     * Queues one line for the reader, waiting while the queue is full. Does nothing once the input has ended or
     * the reader has closed the stream.
     */
    void put(byte[] line) throws InterruptedException {
        Objects.requireNonNull(line, "line");
        lock.lockInterruptibly();
        try {
            while (!ended && !closed && queuedBytes > 0 && queuedBytes + line.length > maxQueuedBytes) {
                changed.await();
            }
            if (ended || closed) {
                return;
            }
            lines.add(line);
            queuedBytes += line.length;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** No more lines: the reader gets end of input once it has read those already queued. Idempotent. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the reader has been given end of input (or has closed the stream). */
    boolean awaitReaderSawEnd(Duration timeout) throws InterruptedException {
        return readerSawEnd.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits, without a time limit, until the reader has been given end of input (or has closed the stream). */
    void awaitReaderSawEnd() throws InterruptedException {
        readerSawEnd.await();
    }

    @Override
    public int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int count) throws InterruptedIOException {
        Objects.checkFromIndexSize(offset, count, bytes.length);
        if (count == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (position == current.length) {
                if (closed) {
                    return -1;
                }
                byte[] next = lines.poll();
                if (next != null) {
                    current = next;
                    position = 0;
                    queuedBytes -= next.length;
                    changed.signalAll();
                } else if (ended) {
                    readerSawEnd.countDown();
                    return -1;
                } else {
                    changed.await();
                }
            }
            int n = Math.min(count, current.length - position);
            System.arraycopy(current, position, bytes, offset, n);
            position += n;
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a line");
        } finally {
            lock.unlock();
        }
    }

    /** The rest of the current line: a reader that asks before blocking finds the line end without waiting. */
    @Override
    public int available() {
        lock.lock();
        try {
            return closed ? 0 : current.length - position;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            lines.clear();
            queuedBytes = 0;
            current = NOTHING;
            position = 0;
            readerSawEnd.countDown();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
