package dev.coord.tools;

import java.util.List;
import java.util.function.Supplier;

/** Every tool coord exposes, in the order clients list them. */
public final class CoordTools {
    private CoordTools() {}

    public static List<CoordTool> all(Coordinator coord) {
        return all(() -> coord);
    }

    /**
     * The tools over an engine that may not be open yet: their names, schemas and descriptions need none of it, and
     * each call gets the engine from {@code coord} (which may wait for it, or throw a {@link
     * dev.coord.engine.CoordException} when it cannot be had).
     */
    public static List<CoordTool> all(Supplier<Coordinator> coord) {
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
