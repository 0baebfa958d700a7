package dev.coord.tools;

import java.util.List;

/** Every tool coord exposes, in the order clients list them. */
public final class CoordTools {
    private CoordTools() {}

    public static List<CoordTool> all(Coordinator coord) {
        return List.of(
                new StatusTool(coord),
                new RegisterInstanceTool(coord),
                new AcquireLockTool(coord),
                new ReleaseLockTool(coord),
                new LogDecisionTool(coord),
                new QueryDecisionsTool(coord),
                new ClaimMissionTool(coord),
                new FinishMissionTool(coord),
                new SendMessageTool(coord),
                new ReadMessagesTool(coord),
                new HookTool(coord));
    }
}
