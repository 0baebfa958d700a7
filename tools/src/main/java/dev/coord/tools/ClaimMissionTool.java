package dev.coord.tools;

import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

/** {@code claim_mission}: takes a mission from the queue for this session, race-safe. */
public final class ClaimMissionTool extends AbstractTool {
    public static final String NAME = "claim_mission";

    public ClaimMissionTool(Coordinator coord) {
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
                Claim a mission (missions/queue/ to active/) before working on it. Without mission_id: the best \
                claimable one. Pass a request_id so that a retry returns the same claim. claimed=true: read \
                mission.path (its Execution Log says what was done) and work on it. claimed=false, code says why: \
                ALREADY_CLAIMED (held_by: who, since when, alive; take next or tell the user; if not alive it is \
                stranded: with the user's go-ahead call again with force=true and a reason, which also takes claims \
                over 24 h old), CONFLICT (dependencies not done), NOT_FOUND (nothing claimable).""";
    }

    @Override
    ToolAnnotations annotations() {
        // changes shared state and the mission file, never destroys anything; a second call claims another mission
        return hints(false, false, false);
    }

    @Override
    Object call(Args args) {
        return coord.missions()
                .claim(args.string("mission_id"), args.string("request_id"), args.bool("force"), args.string("reason"));
    }
}
