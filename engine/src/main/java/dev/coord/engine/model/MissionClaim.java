package dev.coord.engine.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The store's record of a mission: who claimed it and when, and the last change made to it. The mission file is the
 * visible record; this one decides. A record is {@code settled} once its file has been moved and stamped to match it.
 *
 * @param missionId the mission's id (from its file's metadata, or its file name without {@code .md})
 * @param file the file's name inside the missions folders, e.g. {@code 2025-12-22-thaifa.md}
 * @param state active, done, or queued (given back)
 * @param claimedBy the instance that claimed it last
 * @param claimedTask that instance's task when it claimed, for the log line; may be null
 * @param claimedAt when it was claimed
 * @param requestId the claimer's request id, for retries after a lost reply; may be null
 * @param rev changes on every change of the record; a number that only grows, store-wide
 * @param settled whether the file already matches this revision
 * @param changedBy who made the last change (the claimer for a claim, the finisher for done or give back)
 * @param changedAt when
 * @param takenFrom the instance whose claim the last change overrode (takeover, forced finish, finish for a dead
 *     claimer), or null
 * @param summary what was done (done), the note left for the next claimer (given back), or, on an active claim, the
 *     note the last claimer left when it gave the mission back; or null
 * @param reason why: the reason of a give back, or of a change made over another instance's claim; or null
 */
public record MissionClaim(
        String missionId,
        String file,
        MissionState state,
        String claimedBy,
        String claimedTask,
        Instant claimedAt,
        String requestId,
        long rev,
        boolean settled,
        String changedBy,
        Instant changedAt,
        String takenFrom,
        String summary,
        String reason) {

    /** A claim older than this is shown as possibly stale and may be taken over with force. */
    public static final Duration STALE_AFTER = Duration.ofHours(24);

    public MissionClaim {
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(claimedBy, "claimedBy");
        Objects.requireNonNull(claimedAt, "claimedAt");
        Objects.requireNonNull(changedBy, "changedBy");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    public boolean active() {
        return state == MissionState.ACTIVE;
    }

    /** Whether the claim is older than {@link #STALE_AFTER} at {@code now}. */
    public boolean staleAt(Instant now) {
        return !claimedAt.plus(STALE_AFTER).isAfter(now);
    }

    public MissionClaim asSettled() {
        return new MissionClaim(
                missionId,
                file,
                state,
                claimedBy,
                claimedTask,
                claimedAt,
                requestId,
                rev,
                true,
                changedBy,
                changedAt,
                takenFrom,
                summary,
                reason);
    }
}
