package dev.coord.engine.model;

import java.time.Instant;

/**
 * Who holds a mission, as a caller that wanted it needs to know.
 *
 * @param instanceId the claimer
 * @param task its task (as registered now, else as it was when it claimed), or null
 * @param since when it claimed, or null when unknown (a file claimed by hand without {@code claimed_at})
 * @param alive whether the claimer is a live instance; a dead claimer's mission is stranded
 * @param stale whether the claim is older than {@link MissionClaim#STALE_AFTER}
 */
public record ClaimHolder(String instanceId, String task, Instant since, boolean alive, boolean stale) {}
