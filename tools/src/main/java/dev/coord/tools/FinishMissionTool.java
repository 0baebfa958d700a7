package dev.coord.tools;

import dev.coord.engine.CoordException;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.service.MissionService;
import dev.coord.tools.MissionViews.FinishResult;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.Locale;
import java.util.function.Supplier;

/** {@code finish_mission}: completes a claimed mission, or gives it back to the queue. */
public final class FinishMissionTool extends AbstractTool {
    public static final String NAME = "finish_mission";
    public static final int MAX_SUMMARY = 2000;

    public FinishMissionTool(Supplier<Coordinator> coord) {
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
                End your claim on a mission, after asking the user. done: to missions/done/ with your summary; \
                give_back: back to missions/queue/ with your reason, your summary kept as a note for the next \
                claimer. mission_id is optional when you hold one. Repeating changes nothing (replayed=true). Only \
                the claimer finishes, or anyone a stranded mission; force=true with a reason finishes a live \
                session's, only with the user's go-ahead.""";
    }

    @Override
    ToolAnnotations annotations() {
        // ends a claim (with force, another session's): destructive; the same call twice is a no-op
        return hints(false, true, true);
    }

    @Override
    Object call(Args args) {
        return finish(
                coord().missions(),
                args.string("mission_id"),
                args.string("outcome"),
                args.string("summary"),
                args.string("reason"),
                args.bool("force"));
    }

    /** Checks the arguments as the model sent them, finishes, and shapes the answer. */
    static FinishResult finish(
            MissionService missions, String missionId, String outcome, String summary, String reason, boolean force) {
        MissionState target = parseOutcome(outcome);
        String id = Args.optionalText("mission_id", missionId, ClaimMissionTool.MAX_ID);
        String text = Args.optionalText("summary", summary, MAX_SUMMARY);
        String why = Args.optionalText("reason", reason, ClaimMissionTool.MAX_REASON);
        if (target == MissionState.QUEUED && why == null) {
            throw CoordException.invalidArgument("give_back needs a reason: it is written to the mission's execution"
                    + " log for whoever picks the mission up next");
        }
        if (force && why == null) {
            throw CoordException.invalidArgument(
                    "force: true needs a reason: it is written to the mission's execution log and the audit log");
        }
        return MissionViews.finish(missions.finish(id, target, text, why, force), missions.paths());
    }

    private static MissionState parseOutcome(String outcome) {
        if (outcome == null) {
            throw CoordException.invalidArgument("outcome is required: \"done\" or \"give_back\"");
        }
        return switch (outcome.strip().toLowerCase(Locale.ROOT)) {
            case "done" -> MissionState.DONE;
            case "give_back" -> MissionState.QUEUED;
            default ->
                throw CoordException.invalidArgument(
                        "outcome must be \"done\" or \"give_back\", got \"" + outcome + "\"");
        };
    }
}
