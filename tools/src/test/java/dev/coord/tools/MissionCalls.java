package dev.coord.tools;

import dev.coord.engine.model.Snapshot;
import dev.coord.engine.service.MissionService;
import dev.coord.tools.MissionViews.ClaimResult;
import dev.coord.tools.MissionViews.FinishResult;
import dev.coord.tools.MissionViews.Mission;
import dev.coord.tools.MissionViews.Overview;
import java.nio.file.Path;
import java.util.List;

/**
 * The mission calls as the model makes them (arguments unchecked, results in the tools' shapes) over one session's
 * engine service: the same path {@link ClaimMissionTool} and {@link FinishMissionTool} take, minus JSON.
 */
final class MissionCalls {
    final MissionService engine;

    MissionCalls(MissionService engine) {
        this.engine = engine;
    }

    ClaimResult claim(String missionId, String requestId, boolean force, String reason) {
        return ClaimMissionTool.claim(engine, missionId, requestId, force, reason);
    }

    FinishResult finish(String missionId, String outcome, String summary, String reason, boolean force) {
        return FinishMissionTool.finish(engine, missionId, outcome, summary, reason, force);
    }

    Overview overview(Snapshot snap) {
        return MissionViews.overview(engine.overview(snap), engine.paths());
    }

    List<Mission> mine() {
        return MissionViews.missions(engine.mine(), engine.paths());
    }

    List<String> reconcile() {
        return engine.reconcile();
    }

    boolean available() {
        return engine.available();
    }

    Path root() {
        return engine.root();
    }
}
