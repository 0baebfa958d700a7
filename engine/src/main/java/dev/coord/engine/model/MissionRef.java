package dev.coord.engine.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A mission a caller wants to claim, as the caller saw it.
 *
 * @param missionId the mission's id
 * @param file the file's name inside the missions folders
 * @param expectedRev the revision of the store's record the caller saw, 0 when it saw none: a mission whose record
 *     changed since (claimed, finished or given back by someone else) is not claimed
 * @param fileClaimer when the file sits in {@code active/} without an active record (claimed by hand, or the records
 *     were lost): the {@code claimed_by} of the file, treated as the holder; else null
 * @param fileClaimedAt the {@code claimed_at} of such a file, or null
 */
public record MissionRef(String missionId, String file, long expectedRev, String fileClaimer, Instant fileClaimedAt) {
    public MissionRef {
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(file, "file");
    }

    public static MissionRef queued(String missionId, String file, long expectedRev) {
        return new MissionRef(missionId, file, expectedRev, null, null);
    }
}
