package dev.coord.engine.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The compact shapes mission results and reports take; fields are left out when they carry nothing. */
public final class MissionViews {
    private MissionViews() {}

    /**
     * A mission as a model needs to see it.
     *
     * @param id the mission id
     * @param path the file, relative to the repository root
     * @param title the first {@code # } heading
     * @param status the {@code status} field as written in the file
     * @param priority {@code priority}, left out when the file has none
     * @param claimedBy the claimer's instance id
     * @param claimedAt when it was claimed, ISO-8601 with offset
     * @param completedAt when it was completed, as written in the file
     * @param objectives the checkbox items of {@code ## Objectives} (at most {@link MissionService#MAX_OBJECTIVES})
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Mission(
            String id,
            String path,
            String title,
            String status,
            Integer priority,
            String claimedBy,
            String claimedAt,
            String completedAt,
            List<Objective> objectives) {}

    /** An objective: its text and whether its box is ticked. */
    public record Objective(String text, boolean done) {}

    /**
     * Who holds a mission.
     *
     * @param instanceId the claimer
     * @param task its task, or null
     * @param claimedAt when it claimed (ISO-8601 with offset), or null when unknown
     * @param alive whether it is a live session; false means the mission is stranded
     * @param stale whether the claim is older than 24 hours
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Holder(String instanceId, String task, String claimedAt, boolean alive, boolean stale) {}

    /** A queued mission that could be claimed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Candidate(String id, String title, Integer priority, String path) {}

    /**
     * What {@code claim_mission} answers.
     *
     * @param claimed whether the caller holds the mission now
     * @param mission the mission claimed (or, when not claimed, the one asked for, if any)
     * @param code when not claimed: ALREADY_CLAIMED, CONFLICT (dependencies, done, a name clash) or NOT_FOUND
     *     (nothing claimable)
     * @param reason when not claimed: why, and what to do
     * @param heldBy when not claimed because someone holds it: who, since when, alive or not
     * @param next when not claimed: the best mission that can be claimed instead
     * @param replayed the request id was used before: this is that request's claim
     * @param alreadyYours the caller already held it
     * @param takenOverFrom with force: whose claim was taken over
     * @param warning the claim is recorded but its file could not be moved or stamped yet (retried by the next call)
     * @param notices what happened to the caller's locks and missions since its last call
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClaimResult(
            boolean claimed,
            Mission mission,
            String code,
            String reason,
            Holder heldBy,
            Candidate next,
            Boolean replayed,
            Boolean alreadyYours,
            Holder takenOverFrom,
            String warning,
            List<String> notices) {}

    /**
     * What {@code finish_mission} answers.
     *
     * @param missionId the mission
     * @param outcome {@code done} or {@code give_back}
     * @param mission the mission as it is now (its file in {@code done/} or {@code queue/})
     * @param replayed it had already been finished this way by the caller: nothing changed
     * @param finishedFor when the caller finished another instance's claim: that instance
     * @param warning the change is recorded but the file could not be moved or stamped yet
     * @param notices what happened to the caller's locks and missions since its last call
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FinishResult(
            String missionId,
            String outcome,
            Mission mission,
            Boolean replayed,
            String finishedFor,
            String warning,
            List<String> notices) {}

    /**
     * The missions part of {@code status}: compact, capped lists.
     *
     * @param root the missions folder, relative to the repository root
     * @param queued how many files are in {@code queue/}
     * @param next the best claimable missions, best first (at most 5)
     * @param blocked queued missions waiting for their {@code depends_on}
     * @param active the missions being worked on, oldest claim first
     * @param moreActive active missions left out of the list
     * @param done how many files are in {@code done/}
     * @param malformed files coord cannot read, with what is wrong
     * @param moreMalformed malformed files left out of the list
     * @param differences files of this worktree that disagree with the shared claim records, which are the truth
     *     (a mission done or claimed in another worktree whose copy here is still in {@code queue/}), with what it
     *     means; capped like {@code malformed}
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Overview(
            String root,
            @JsonInclude(JsonInclude.Include.ALWAYS) int queued,
            List<Candidate> next,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int blocked,
            List<Active> active,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int moreActive,
            @JsonInclude(JsonInclude.Include.ALWAYS) int done,
            List<Malformed> malformed,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int moreMalformed,
            List<Malformed> differences) {}

    /**
     * An active mission.
     *
     * @param ageS seconds since it was claimed, left out when unknown
     * @param yours claimed by the caller
     * @param stranded its claimer is gone (crashed or ended): someone may take it over with force
     * @param stale claimed more than 24 hours ago: possibly abandoned
     * @param note something the user should know, such as a file that is not where the claim says
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Active(
            String id,
            String title,
            String path,
            String claimedBy,
            String task,
            String claimedAt,
            Long ageS,
            Boolean yours,
            Boolean stranded,
            Boolean stale,
            String note) {}

    /** A file coord cannot read, and why. */
    public record Malformed(String path, String problem) {}
}
