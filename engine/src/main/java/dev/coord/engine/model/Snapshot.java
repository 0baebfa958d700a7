package dev.coord.engine.model;

import java.time.Instant;
import java.util.List;

/**
 * A consistent view of the shared state at one moment: live instances, valid locks, waiters.
 *
 * @param at the store's time of the view
 * @param instances live instances
 * @param locks valid locks (holder alive, lease not expired)
 * @param waiters queued acquire calls
 * @param notices what happened to the caller's locks since its last call (empty for anonymous reads)
 */
public record Snapshot(
        Instant at, List<Instance> instances, List<LockRecord> locks, List<Waiter> waiters, List<Notice> notices) {
    public Snapshot {
        instances = List.copyOf(instances);
        locks = List.copyOf(locks);
        waiters = List.copyOf(waiters);
        notices = List.copyOf(notices);
    }
}
