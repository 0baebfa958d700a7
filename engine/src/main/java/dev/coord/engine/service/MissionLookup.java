package dev.coord.engine.service;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.mission.MissionBoard;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.mission.MissionFolder;
import dev.coord.engine.mission.MissionFormat;
import dev.coord.engine.mission.MissionPaths;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.store.CoordStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the mission services read: the folders, the store's records, and what can be claimed now. */
final class MissionLookup {
    private final CoordStore store;
    private final MissionPaths paths;

    MissionLookup(CoordStore store, MissionPaths paths) {
        this.store = store;
        this.paths = paths;
    }

    MissionBoard scan() {
        try {
            return MissionBoard.scan(paths.root());
        } catch (IOException e) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read the missions folder " + paths.root() + ": " + e.getMessage(),
                    e);
        }
    }

    Map<String, MissionClaim> records() {
        Map<String, MissionClaim> out = new LinkedHashMap<>();
        store.missions().forEach(c -> out.put(c.missionId(), c));
        return out;
    }

    /** Queued missions that can be claimed now, best first. */
    static List<MissionEntry> claimable(MissionBoard board, Map<String, MissionClaim> records) {
        List<MissionEntry> out = new ArrayList<>();
        for (MissionEntry e : board.entries(MissionFolder.QUEUE)) {
            MissionClaim rec = records.get(e.id());
            if (e.valid()
                    && !(rec != null && rec.active())
                    && unmet(e, board).isEmpty()
                    && !board.occupied(MissionFolder.ACTIVE, e.fileName())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(MissionEntry::doc, MissionFormat.BY_PRIORITY));
        return out;
    }

    /** The best claimable mission other than {@code except}, or null. */
    static MissionEntry best(MissionBoard board, Map<String, MissionClaim> records, String except) {
        for (MissionEntry e : claimable(board, records)) {
            if (!e.id().equals(except)) {
                return e;
            }
        }
        return null;
    }

    /** The {@code depends_on} of a queued mission that are not in {@code done/}, each with where it is. */
    static List<String> unmet(MissionEntry e, MissionBoard board) {
        List<String> out = new ArrayList<>();
        for (String dep : e.doc().dependsOn()) {
            if (board.isDone(dep)) {
                continue;
            }
            String where = board.find(dep)
                    .map(x -> x.folder() == MissionFolder.ACTIVE ? "active" : "queued")
                    .orElse("no such mission");
            out.add(dep + " (" + where + ")");
        }
        return out;
    }
}
