package dev.coord.engine.store.file;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cross-process mutex of a state directory: an OS lock on a dedicated file, behind an in-JVM lock (the OS lock
 * is held per process, not per thread).
 *
 * <p>The file is opened once and never opened for anything else, nor deleted: closing any channel of a process on a
 * file drops that process's POSIX locks on it, and a deleted lock file lets a second process lock a new one.
 */
final class FileMutex implements AutoCloseable {
    static final String FILE_NAME = "coord.lock";

    private final Path file;
    private final ReentrantLock local = new ReentrantLock();
    private FileChannel channel;

    FileMutex(Path stateDir) throws IOException {
        this.file = stateDir.resolve(FILE_NAME);
        this.channel = open();
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /** Holds the mutex until the returned handle is closed. */
    Held lock() {
        local.lock();
        boolean interrupted = Thread.interrupted();
        try {
            FileLock osLock = channel.lock();
            return new Held(osLock, interrupted);
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
            throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private void reopenQuietly() {
        try {
            if (!channel.isOpen()) {
                channel = open();
            }
        } catch (IOException ignored) {
            // The next lock() reports the failure.
        }
    }

    boolean heldByCurrentThread() {
        return local.isHeldByCurrentThread();
    }

    @Override
    public void close() throws IOException {
        local.lock();
        try {
            channel.close();
        } finally {
            local.unlock();
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
                local.unlock();
                if (restoreInterrupt) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
