package dev.coord.engine;

import java.util.Objects;

/**
 * What a caller can do after a refusal, as a domain fact (claim the mission first, name the mission...). The engine
 * attaches it to a {@link CoordException}; whoever shows the failure phrases it for its reader (the tools name their
 * tools and arguments for the model).
 *
 * @param kind the step
 * @param missionId the mission it concerns, or null
 * @param force whether the step needs a forced takeover (a claim that is not the caller's)
 */
public record NextStep(Kind kind, String missionId, boolean force) {

    /** The steps the engine knows. */
    public enum Kind {
        /** Finishing needs a claim coord does not have: claim the mission first (the overview lists them). */
        CLAIM_FIRST,
        /** The mission was claimed outside coord: claim it (forced when not the caller's) with a reason, then finish. */
        ADOPT_THEN_FINISH,
        /** The caller holds no mission: name the one to finish (the overview lists the active ones). */
        NAME_THE_MISSION,
        /** The caller holds several missions: name one. */
        NAME_ONE_OF_THEM,
        /** No such mission: look at the queue, or claim without naming one to take the best queued mission. */
        SEE_THE_QUEUE,
        /** The claim lost a race (the mission changed, or every candidate was taken): claim again. */
        CLAIM_AGAIN,
        /** The claimer is gone: with the user's go-ahead, a forced claim with a reason takes the mission over. */
        TAKE_OVER,
        /** A mission claimed outside coord: claiming it (forced when not the caller's) adopts it. */
        ADOPT,
        /** The claim's file is not in {@code active/}: finishing the mission, or moving the file back, fixes it. */
        FINISH_OR_MOVE_BACK
    }

    public NextStep {
        Objects.requireNonNull(kind, "kind");
    }

    public static NextStep of(Kind kind) {
        return new NextStep(kind, null, false);
    }
}
