package dev.coord.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * What a finish did.
 *
 * @param claim the record as it is now
 * @param replayed the caller had already finished it this way (a retry): nothing changed
 * @param holder when the caller finished another instance's claim: that claim's holder; else null
 * @param notices what happened to the caller's locks and missions since its last call
 */
public record FinishOutcome(MissionClaim claim, boolean replayed, ClaimHolder holder, List<Notice> notices) {
    public FinishOutcome {
        Objects.requireNonNull(claim, "claim");
        notices = List.copyOf(notices);
    }
}
