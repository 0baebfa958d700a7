package dev.coord.engine.testing;

import dev.coord.engine.liveness.ProcessProbe;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every pid is alive until the test kills it. */
public final class FakeProbe implements ProcessProbe {
    private final Set<Long> dead = ConcurrentHashMap.newKeySet();

    public void kill(long pid) {
        dead.add(pid);
    }

    @Override
    public boolean alive(long pid, Instant start) {
        return !dead.contains(pid);
    }
}
