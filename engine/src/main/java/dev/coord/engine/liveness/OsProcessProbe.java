package dev.coord.engine.liveness;

import java.time.Instant;
import java.util.Optional;

/**
 * Checks a pid through {@link ProcessHandle}; the recorded start time makes a reused pid count as dead. Start times
 * are compared to the second: the JDK derives them from clock ticks since boot, identical for one process. A zombie
 * (killed, not yet reaped by its parent, which happens exactly while a terminal and its children are suspended) is
 * dead, although {@code ProcessHandle.isAlive()} says true for it.
 */
final class OsProcessProbe implements ProcessProbe {
    @Override
    public boolean alive(long pid, Instant start) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || ProcState.exited(pid)) {
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
