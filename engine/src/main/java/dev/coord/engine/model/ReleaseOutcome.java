package dev.coord.engine.model;

import java.util.List;

/**
 * Result of a release call.
 *
 * @param released locks removed
 * @param notHeld paths named but not held by the caller
 * @param notices what happened to the caller's locks since its last call
 */
public record ReleaseOutcome(List<Released> released, List<NotHeld> notHeld, List<Notice> notices) {
    public ReleaseOutcome {
        released = List.copyOf(released);
        notHeld = List.copyOf(notHeld);
        notices = List.copyOf(notices);
    }
}
