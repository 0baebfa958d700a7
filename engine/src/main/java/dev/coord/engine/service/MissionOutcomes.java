package dev.coord.engine.service;

import dev.coord.engine.mission.MissionDocument;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.model.ClaimHolder;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.Notice;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the mission operations of {@link MissionService} come to, as domain values: files, parsed documents, records,
 * holders and notices. The tools shape them for the model ({@code dev.coord.tools.MissionViews}).
 */
public final class MissionOutcomes {
    private MissionOutcomes() {}

    /** Why a claim was refused. */
    public enum Refusal {
        /** another session holds the mission */
        ALREADY_CLAIMED,
        /** the mission waits for its dependencies, is done, or changed during the call */
        CONFLICT,
        /** nothing can be claimed now */
        NOT_FOUND
    }

    /**
     * A mission as coord found it.
     *
     * @param file where its file is (or would be, after the record)
     * @param doc the parsed file, or null when there is no readable file: then the record tells
     * @param record the store's record, or null when the mission was never claimed through coord
     */
    public record Sighting(Path file, MissionDocument doc, MissionClaim record) {
        public Sighting {
            Objects.requireNonNull(file, "file");
            if (doc == null && record == null) {
                throw new IllegalArgumentException("a sighting needs a document or a record");
            }
        }

        /** A mission seen in its file. */
        public static Sighting of(MissionEntry e) {
            return new Sighting(e.file(), e.doc(), null);
        }
    }

    /**
     * What a claim came to.
     *
     * @param claimed whether the caller holds the mission now
     * @param mission the mission claimed (or, when refused, the one asked for, if any)
     * @param refusal when refused: why
     * @param reason when refused: why, and what to do
     * @param heldBy when refused because someone holds it: who
     * @param next when refused: the best mission that can be claimed instead
     * @param replayed the request id was used before: this is that request's claim
     * @param alreadyYours the caller already held it
     * @param takenOverFrom with force: whose claim was taken over
     * @param warning the claim is recorded but its file could not be moved or stamped yet
     * @param notices what happened to the caller's locks and missions since its last call
     */
    public record Claim(
            boolean claimed,
            Sighting mission,
            Refusal refusal,
            String reason,
            ClaimHolder heldBy,
            MissionEntry next,
            boolean replayed,
            boolean alreadyYours,
            ClaimHolder takenOverFrom,
            String warning,
            List<Notice> notices) {
        public Claim {
            notices = List.copyOf(notices);
        }
    }

    /**
     * What finishing a mission came to.
     *
     * @param outcome {@link MissionState#DONE} or {@link MissionState#QUEUED} (given back)
     * @param mission the mission as it is now
     * @param replayed it had already been finished this way by the caller: nothing changed
     * @param finishedFor when the caller finished another instance's claim: that instance
     * @param warning the change is recorded but the file could not be moved or stamped yet
     * @param notices what happened to the caller's locks and missions since its last call
     */
    public record Finish(
            String missionId,
            MissionState outcome,
            Sighting mission,
            boolean replayed,
            String finishedFor,
            String warning,
            List<Notice> notices) {
        public Finish {
            notices = List.copyOf(notices);
        }
    }

    /**
     * The missions folder at a glance.
     *
     * @param queued how many files are in {@code queue/}
     * @param claimable the queued missions that can be claimed now, best first
     * @param blocked queued missions waiting for their {@code depends_on}
     * @param active the missions being worked on, oldest claim first
     * @param done how many files are in {@code done/}
     * @param malformed files coord cannot read
     * @param differences files of this worktree that disagree with the shared claim records, which are the truth (a
     *     mission done in another worktree whose copy here is still in {@code queue/}), with what it means
     */
    public record Overview(
            Path root,
            int queued,
            List<MissionEntry> claimable,
            int blocked,
            List<Active> active,
            int done,
            List<MissionEntry> malformed,
            List<Difference> differences) {}

    /** A file of this worktree that disagrees with the shared records, and what that means. */
    public record Difference(Path file, String problem) {}

    /**
     * A mission being worked on.
     *
     * @param file its file, or null when none was found
     * @param claimedAt when it was claimed, or null when unknown
     * @param ageS seconds since it was claimed, or null when unknown
     * @param yours claimed by the caller
     * @param stranded its claimer is gone (crashed or ended)
     * @param stale claimed more than 24 hours ago
     * @param note something the user should know, or null
     */
    public record Active(
            String id,
            String title,
            Path file,
            String claimedBy,
            String task,
            Instant claimedAt,
            Long ageS,
            boolean yours,
            boolean stranded,
            boolean stale,
            String note) {}
}
