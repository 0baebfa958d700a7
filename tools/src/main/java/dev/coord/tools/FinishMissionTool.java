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
        return "Finish a mission";
    }

    @Override
    String description() {
        return """
                End your claim on a mission, after asking the user. done: to missions/done/ with your summary in \
                its log; give_back: back to missions/queue/ with your reason. mission_id is optional when you hold \
                one. Repeating changes nothing (replayed=true). Only the claimer may finish, or anyone a stranded \
                mission (its session gone); force=true with a reason finishes a live session's, only with the \
                user's go-ahead.""";
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
