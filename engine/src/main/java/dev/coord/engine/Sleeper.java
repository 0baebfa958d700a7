package dev.coord.engine;

import java.time.Duration;

/** Waits between polls; tests replace it so that they never sleep. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    static Sleeper system() {
        return d -> Thread.sleep(Math.max(0, d.toMillis()));
    }
}
