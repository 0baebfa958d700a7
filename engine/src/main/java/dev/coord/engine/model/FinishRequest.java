package dev.coord.engine.model;

import java.util.Objects;

/**
 * The end of a claim: done, or given back to the queue.
 *
 * @param missionId the mission
 * @param outcome {@link MissionState#DONE} or {@link MissionState#QUEUED} (give back)
 * @param summary what was done, recorded with a completion; may be null
 * @param reason why it is given back, or why another instance's claim is finished; may be null
 * @param force finish a mission that another live instance holds; needs {@code reason}
 */
public record FinishRequest(String missionId, MissionState outcome, String summary, String reason, boolean force) {
    public FinishRequest {
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == MissionState.ACTIVE) {
            throw new IllegalArgumentException("a mission is finished as done or queued, not active");
        }
    }
}
