package dev.coord.engine.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An instance waiting for locks, first come first served.
 *
 * @param instance waiting instance id
 * @param requests what it waits for
 * @param since when it started waiting (its place in the queue)
 * @param deadline when it gives up; past this the entry is void
 */
public record Waiter(String instance, List<LockRequest> requests, Instant since, Instant deadline) {
    public Waiter {
        Objects.requireNonNull(instance, "instance");
        requests = List.copyOf(requests);
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(deadline, "deadline");
    }
}
