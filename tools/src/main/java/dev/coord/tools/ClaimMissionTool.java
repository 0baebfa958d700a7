package dev.coord.tools;

import dev.coord.engine.CoordException;
import dev.coord.engine.service.MissionService;
import dev.coord.tools.MissionViews.ClaimResult;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.function.Supplier;

/** {@code claim_mission}: takes a mission from the queue for this session, race-safe. */
public final class ClaimMissionTool extends AbstractTool {
    public static final String NAME = "claim_mission";
    public static final int MAX_ID = 200;
    public static final int MAX_REQUEST_ID = 200;
    public static final int MAX_REASON = 500;

    public ClaimMissionTool(Supplier<Coordinator> coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Claim a mission";
    }

    @Override
    String description() {
        return """
                Claim a mission (missions/queue/ to active/) before working on it; without mission_id, the best \
                claimable one. claimed=true: read mission.path (its Execution Log says what was done; note: left by \
                the last claimer). claimed=false, code: ALREADY_CLAIMED (held_by: who, since, alive; take another or \
                tell the user; if not alive, with the user's go-ahead retry with force=true and a reason, which also \
                takes claims over 24 h old), CONFLICT (dependencies not done), NOT_FOUND.""";
    }

    @Override
    ToolAnnotations annotations() {
        // changes shared state and the mission file, never destroys anything; a second call claims another mission
        return hints(false, false, false);
    }

    @Override
    Object call(Args args) {
        return claim(
                coord().missions(),
                args.string("mission_id"),
                args.string("request_id"),
                args.bool("force"),
                args.string("reason"));
    }

    /** Checks the arguments as the model sent them, claims, and shapes the answer. */
    static ClaimResult claim(
            MissionService missions, String missionId, String requestId, boolean force, String reason) {
        String id = Args.optionalText("mission_id", missionId, MAX_ID);
        String rid = Args.optionalText("request_id", requestId, MAX_REQUEST_ID);
        String why = Args.optionalText("reason", reason, MAX_REASON);
        if (force && why == null) {
            throw CoordException.invalidArgument(
                    "force: true needs a reason: it is written to the mission's execution log and the audit log");
        }
        if (force && id == null) {
            throw CoordException.invalidArgument("force: true takes over one mission: give its mission_id");
        }
        return MissionViews.claim(missions.claim(id, rid, force, why), missions.paths());
    }
}
