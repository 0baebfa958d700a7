package dev.coord.tools;

import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

/** {@code finish_mission}: completes a claimed mission, or gives it back to the queue. */
public final class FinishMissionTool extends AbstractTool {
    public static final String NAME = "finish_mission";

    public FinishMissionTool(Coordinator coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Complete or give back a mission";
    }

    @Override
    String description() {
        return """
                End your claim on a mission, after asking the user. outcome=done: to missions/done/ with status \
                DONE, completed_at and your summary in its log. outcome=give_back: back to missions/queue/ with \
                your reason in its log, for the next session. mission_id is optional when you hold one mission. \
                Repeating a call changes nothing (replayed=true).
                Only the claimer may finish a mission; anyone may finish a stranded one (its session is gone); \
                force=true with a reason finishes a live session's mission, only with the user's go-ahead.
                Errors: NOT_HELD (held by another live session, not claimed, or claimed outside coord: the \
                message says what to do), NOT_FOUND, INVALID_ARGUMENT (give_back or force without reason), \
                CONFLICT (a file of that name is already in the target folder).""";
    }

    @Override
    ToolAnnotations annotations() {
        // ends a claim (with force, another session's): destructive; the same call twice is a no-op
        return hints(false, true, true);
    }

    @Override
    Object call(Args args) {
        return coord.missions()
                .finish(
                        args.string("mission_id"),
                        args.string("outcome"),
                        args.string("summary"),
                        args.string("reason"),
                        args.bool("force"));
    }
}
