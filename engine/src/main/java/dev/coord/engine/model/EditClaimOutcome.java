package dev.coord.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * What the edit guard found for one file.
 *
 * @param status what happened
 * @param claim the caller's edit claim (new or renewed) for {@link Status#CLAIMED} and {@link Status#RENEWED}, else
 *     null; {@code changedSinceRelease} tells that the file differs from what its last holder released
 * @param conflicts for {@link Status#HELD}: the locks and claims of other live sessions covering the file
 * @param notices what happened to the caller's locks since its last call
 */
public record EditClaimOutcome(Status status, Grant claim, List<Conflict> conflicts, List<Notice> notices) {

    public enum Status {
        /** A new edit claim was taken. */
        CLAIMED,
        /** The caller's own edit claim on the file was renewed. */
        RENEWED,
        /** A lock the caller took itself already covers the file: nothing to do. */
        COVERED,
        /** Another live session holds a lock or claim covering the file: nothing was taken. */
        HELD
    }

    public EditClaimOutcome {
        Objects.requireNonNull(status, "status");
        conflicts = List.copyOf(conflicts);
        notices = List.copyOf(notices);
    }
}
