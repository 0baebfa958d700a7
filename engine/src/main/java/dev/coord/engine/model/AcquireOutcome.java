package dev.coord.engine.model;

import java.util.List;

/**
 * Result of one acquire attempt: either every path granted, or none and the conflicts.
 *
 * @param acquired true if all paths were granted
 * @param grants the grants, empty when not acquired
 * @param conflicts what blocked, empty when acquired
 * @param notices what happened to the caller's locks since its last call
 */
public record AcquireOutcome(boolean acquired, List<Grant> grants, List<Conflict> conflicts, List<Notice> notices) {
    public AcquireOutcome {
        grants = List.copyOf(grants);
        conflicts = List.copyOf(conflicts);
        notices = List.copyOf(notices);
    }
}
