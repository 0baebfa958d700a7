package dev.coord.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * A claim: the first candidate that nobody holds is claimed.
 *
 * @param candidates missions in the caller's order of preference
 * @param requestId the caller's id for this request: a second claim with the same id by the same instance returns
 *     the first one's claim instead of claiming again; may be null
 * @param force take over a candidate whose claimer is dead, or whose claim is older than
 *     {@link MissionClaim#STALE_AFTER}; needs {@code reason}
 * @param reason why force is used, recorded; may be null without force
 */
public record ClaimRequest(List<MissionRef> candidates, String requestId, boolean force, String reason) {
    public ClaimRequest {
        candidates = List.copyOf(Objects.requireNonNull(candidates, "candidates"));
    }
}
