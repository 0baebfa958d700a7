package dev.coord.tools;

import dev.coord.engine.CoordException;
import dev.coord.engine.NextStep;

/**
 * The words the model reads for an engine failure: the engine's facts, then the next step (a {@link NextStep}) named
 * in the model's terms, its tools and their arguments.
 */
final class NextSteps {

    private NextSteps() {}

    /** The failure's message as the model reads it. */
    static String message(CoordException e) {
        return text(e.getMessage(), e.next());
    }

    /** Facts (a refusal's reason, a note) followed by the step, if any. */
    static String text(String facts, NextStep next) {
        return next == null || facts == null ? facts : facts + phrase(next);
    }

    static String phrase(NextStep next) {
        String claim = ClaimMissionTool.NAME;
        return switch (next.kind()) {
            case CLAIM_FIRST -> "; claim it with " + claim + " first (run " + StatusTool.NAME + " to see the missions)";
            case ADOPT_THEN_FINISH ->
                " Call " + claim + " with mission_id " + next.missionId() + (next.force() ? ", force: true" : "")
                        + " and a reason first; then finish it.";
            case NAME_THE_MISSION ->
                "; give the mission_id of the one to finish (run " + StatusTool.NAME + " to see the active missions)";
            case NAME_ONE_OF_THEM -> ": give mission_id";
            case SEE_THE_QUEUE ->
                ". Run " + StatusTool.NAME + " to see the queue, or " + claim
                        + " without mission_id to take the best queued mission.";
            case CLAIM_AGAIN -> "; call " + claim + " again.";
            case TAKE_OVER ->
                " To resume it, ask the user, then call " + claim
                        + " with this mission_id, force: true and a reason; it takes the claim over and logs it.";
            case ADOPT -> "; " + claim + " adopts it (force if not yours)";
            case FINISH_OR_MOVE_BACK -> "; " + FinishMissionTool.NAME + ", or a move back to active/, puts it right";
        };
    }
}
