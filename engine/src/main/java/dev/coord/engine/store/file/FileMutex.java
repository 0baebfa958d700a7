package dev.coord.engine.store.file;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cross-process mutex of a state directory: an OS lock on a dedicated file, behind an in-JVM lock (the OS lock
 * is held per process, not per thread).
 *
 * <p>The file is opened once per JVM and never opened for anything else, nor deleted: closing any channel of a
 * process on a file drops that process's POSIX locks on it, and a deleted lock file lets a second process lock a new
 * one. Several mutexes of one JVM on the same directory (two stores opened in one process) therefore share one
 * channel and one in-JVM lock; a second channel would make {@code FileChannel.lock} throw
 * {@code OverlappingFileLockException}, and closing it would silently drop the other's OS lock.
 */
final class FileMutex implements AutoCloseable {
    static final String FILE_NAME = "coord.lock";
    /** About a minute of refusals at the longest pause; a real deadlock cannot happen (see {@link #osLock}). */
    static final int MAX_DEADLOCK_RETRIES = 10_000;

    /** The open mutex files of this JVM by real path; guarded by itself. */
    private static final Map<Path, Shared> OPEN = new HashMap<>();

    private final Path file;
    private final Shared shared;
    private volatile boolean closed;

    FileMutex(Path stateDir) throws IOException {
        this(stateDir, FILE_NAME);
    }

    /** A mutex on another file of the state directory, with the same rules (e.g. {@code missions.lock}). */
    FileMutex(Path stateDir, String fileName) throws IOException {
        this.file = stateDir.toRealPath().resolve(fileName);
        synchronized (OPEN) {
            Shared s = OPEN.get(file);
            if (s == null) {
                s = new Shared(open(file));
                OPEN.put(file, s);
            }
            s.users++;
            this.shared = s;
        }
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /** Holds the mutex until the returned handle is closed. */
    Held lock() {
        ReentrantLock local = shared.local;
        local.lock();
        if (closed) {
            local.unlock();
            throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "the mutex on " + file + " is closed");
        }
        boolean interrupted = Thread.interrupted();
        try {
            FileLock osLock = osLock();
            return new Held(osLock, interrupted);
        } catch (StalledHolder e) {
            reopenQuietly();
            local.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new CoordException(ErrorCode.STORE_UNAVAILABLE, e.getMessage(), e);
        } catch (ClosedByInterruptException e) {
            reopenQuietly();
            local.unlock();
            Thread.currentThread().interrupt();
            throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "interrupted while waiting for " + file, e);
        } catch (IOException | RuntimeException e) {
            reopenQuietly();
            local.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot lock " + file + ": "
                            + (e instanceof IOException io ? dev.coord.engine.IoProblems.describe(io) : e.toString()),
                    e);
        }
    }

    /**
     * Takes the OS lock, retrying when the kernel refuses it as a deadlock. POSIX record locks belong to processes,
     * not threads, and Linux checks for deadlocks that way: a process whose one thread holds {@code coord.lock} while
     * another thread waits for {@code missions.lock}, facing a process that holds {@code missions.lock} and waits for
     * {@code coord.lock}, looks like a cycle, and one of the waits fails with EDEADLK ("Resource deadlock avoided")
     * although no thread waits for itself. coord takes the locks in one order only ({@code missions.lock}, then
     * {@code coord.lock}, never the other way), so such a refusal is always a false alarm: the holder releases soon.
     *
     * <p>A wait that does not succeed at once is watched by {@link StalledHolderWatch}: a holder stopped by a signal
     * is resumed, and one that cannot be resumed makes the wait fail after about a second with the reason.
     */
    private FileLock osLock() throws IOException {
        FileLock quick = shared.channel.tryLock();
        if (quick != null) {
            return quick;
        }
        StalledHolderWatch watch = StalledHolderWatch.start(file, shared.channel);
        if (watch == null) {
            return waitForOsLock();
        }
        FileLock lock;
        try {
            lock = waitForOsLock();
        } catch (ClosedChannelException e) {
            String gaveUp = watch.stop();
            if (gaveUp != null && !(e instanceof ClosedByInterruptException)) {
                throw new StalledHolder(gaveUp);
            }
            throw e;
        } finally {
            watch.stop();
        }
        String gaveUp = watch.stop();
        if (gaveUp != null) {
            // the watch closed the channel just as the lock came: closing it released the lock again
            throw new StalledHolder(gaveUp);
        }
        return lock;
    }

    /** A wait for the OS lock ended by {@link StalledHolderWatch}: the holder is stopped and cannot be resumed. */
    static final class StalledHolder extends IOException {
        private static final long serialVersionUID = 1L;

        StalledHolder(String message) {
            super(message);
        }
    }

    private FileLock waitForOsLock() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return shared.channel.lock();
            } catch (IOException e) {
                if (!deadlockRefusal(e) || attempt >= MAX_DEADLOCK_RETRIES) {
                    throw e;
                }
                long maxPauseNanos = 100_000L << Math.min(attempt, 6);
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000, maxPauseNanos));
            }
        }
    }

    static boolean deadlockRefusal(IOException e) {
        String message = e.getMessage();
        return !(e instanceof ClosedChannelException)
                && message != null
                && message.toLowerCase(java.util.Locale.ROOT).contains("deadlock");
    }

    /** Reopens the shared channel if an interrupt closed it; call while holding the in-JVM lock. */
    private void reopenQuietly() {
        try {
            if (shared.open && !shared.channel.isOpen()) {
                shared.channel = open(file);
            }
        } catch (IOException ignored) {
            // The next lock() reports the failure.
        }
    }

    boolean heldByCurrentThread() {
        return shared.local.isHeldByCurrentThread();
    }

    @Override
    public void close() throws IOException {
        synchronized (OPEN) {
            if (closed) {
                return;
            }
            closed = true;
            if (--shared.users > 0) {
                return;
            }
            OPEN.remove(file);
            shared.local.lock();
            try {
                shared.open = false;
                shared.channel.close();
            } finally {
                shared.local.unlock();
            }
        }
    }

    /**
     * One mutex file's channel and in-JVM lock, shared by every {@link FileMutex} of this JVM on it. {@code channel}
     * and {@code open} are guarded by {@code local}, {@code users} by {@link #OPEN}. {@link #OPEN} is taken before
     * {@code local}, never after.
     */
    private static final class Shared {
        final ReentrantLock local = new ReentrantLock();
        FileChannel channel;
        boolean open = true;
        int users;

        Shared(FileChannel channel) {
            this.channel = channel;
        }
    }

    final class Held implements AutoCloseable {
        private final FileLock osLock;
        private final boolean restoreInterrupt;

        private Held(FileLock osLock, boolean restoreInterrupt) {
            this.osLock = osLock;
            this.restoreInterrupt = restoreInterrupt;
        }

        @Override
        public void close() {
            try {
                if (osLock.isValid()) {
                    osLock.release();
                }
            } catch (IOException e) {
                // Released when the channel closes; nothing else can be done here.
            } finally {
                shared.local.unlock();
                if (restoreInterrupt) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
