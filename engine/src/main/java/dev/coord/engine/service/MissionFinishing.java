package dev.coord.engine.service;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.Session;
import dev.coord.engine.mission.MissionBoard;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.mission.MissionFolder;
import dev.coord.engine.mission.MissionPaths;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.model.FinishOutcome;
import dev.coord.engine.model.FinishRequest;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.service.MissionOutcomes.Finish;
import dev.coord.engine.store.CoordStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finishing a claim, inside the missions exclusive section: which mission (the one named, or the only one this session
 * holds), whether it can be finished (claimed through coord, its target free, its file readable), the store's
 * decision, then the files. {@link MissionService#finish} checks the command and takes the section.
 */
final class MissionFinishing {
    private final CoordStore store;
    private final Session session;
    private final MissionPaths paths;
    private final MissionLookup lookup;
    private final MissionSettler settler;
    private final MissionOverviews overviews;

    MissionFinishing(
            CoordStore store,
            Session session,
            MissionPaths paths,
            MissionLookup lookup,
            MissionSettler settler,
            MissionOverviews overviews) {
        this.store = store;
        this.session = session;
        this.paths = paths;
        this.lookup = lookup;
        this.settler = settler;
        this.overviews = overviews;
    }

    Finish finishLocked(String id, MissionState target, String summary, String why, boolean force) {
        settler.reconcileLocked();
        Instance me = session.self();
        Map<String, MissionClaim> records = lookup.records();
        String mid = id != null ? id : onlyMissionOf(me, records);
        MissionClaim rec = records.get(mid);
        MissionBoard board = lookup.scan();
        if (rec == null || !rec.active()) {
            Optional<MissionEntry> e = board.find(mid);
            boolean retry =
                    rec != null && rec.state() == target && rec.changedBy().equals(me.id());
            if (!retry && e.isPresent() && e.get().folder() == MissionFolder.ACTIVE) {
                String by = e.get().doc().claimedBy().orElse(MissionService.UNKNOWN_CLAIMER);
                throw new CoordException(
                        ErrorCode.NOT_HELD,
                        paths.rel(e.get().file()) + " was claimed outside coord (claimed_by: " + by + "). Call"
                                + " claim_mission with mission_id " + mid + (by.equals(me.id()) ? "" : ", force: true")
                                + " and a reason first; then finish it.");
            }
            if (rec == null) {
                if (e.isPresent()) {
                    throw new CoordException(
                            ErrorCode.NOT_HELD,
                            "mission " + mid + " is not claimed: its file is "
                                    + paths.rel(e.get().file())
                                    + ". Only a claimed mission can be completed or given back.");
                }
                throw CoordException.notFound("there is no mission " + mid + " in " + paths.rel(paths.root())
                        + ". Run status to see the active missions.");
            }
        } else {
            MissionFolder to = target == MissionState.DONE ? MissionFolder.DONE : MissionFolder.QUEUE;
            if (board.occupied(to, rec.file())) {
                throw new CoordException(
                        ErrorCode.CONFLICT,
                        "cannot move mission " + mid + ": " + paths.rel(board.path(to, rec.file()))
                                + " already exists, and coord never replaces a file. Ask the user to rename one of"
                                + " the two files.");
            }
            Path file = board.path(MissionFolder.ACTIVE, rec.file());
            if (Files.exists(file)) {
                MissionEntry now = MissionBoard.parse(file, MissionFolder.ACTIVE);
                if (!now.valid()) {
                    throw CoordException.invalidArgument(paths.rel(file) + " cannot be read: " + now.problem()
                            + ". Fix the file, then finish the mission.");
                }
            }
        }
        FinishOutcome out = store.finishMission(me, new FinishRequest(mid, target, summary, why, force));
        String warning = null;
        if (!out.claim().settled()) {
            settler.reached("recorded", out.claim());
            warning = settler.settle(out.claim()).orElse(null);
        }
        return new Finish(
                mid,
                target,
                overviews.sightingOf(out.claim()),
                out.replayed(),
                out.holder() == null ? null : out.holder().instanceId(),
                warning,
                out.notices());
    }

    private String onlyMissionOf(Instance me, Map<String, MissionClaim> records) {
        List<String> mine = new ArrayList<>();
        for (MissionClaim c : records.values()) {
            if (c.active() && c.claimedBy().equals(me.id())) {
                mine.add(c.missionId());
            }
        }
        if (mine.isEmpty()) {
            throw CoordException.notFound("this session holds no mission; give the mission_id of the one to finish"
                    + " (run status to see the active missions)");
        }
        if (mine.size() > 1) {
            throw CoordException.invalidArgument(
                    "this session holds several missions (" + String.join(", ", mine) + "): give mission_id");
        }
        return mine.get(0);
    }
}
