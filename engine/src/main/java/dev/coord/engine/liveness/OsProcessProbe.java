package dev.coord.engine.liveness;

import java.time.Instant;
import java.util.Optional;

/**
 * Checks a pid through {@link ProcessHandle}; the recorded start time makes a reused pid count as dead. Start times
 * are compared to the second: the JDK derives them from clock ticks since boot, identical for one process.
 */
final class OsProcessProbe implements ProcessProbe {
    @Override
    public boolean alive(long pid, Instant start) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (start == null) {
            return true;
        }
        Optional<Instant> actual = handle.get().info().startInstant();
        // No start time readable (another user's process): trust the pid, the heartbeat still bounds the damage.
        return actual.map(a -> Math.abs(a.getEpochSecond() - start.getEpochSecond()) <= 1)
                .orElse(true);
    }
}
