package dev.coord.engine.service;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.mission.MissionBoard;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.mission.MissionFolder;
import dev.coord.engine.mission.MissionFormat;
import dev.coord.engine.mission.MissionPaths;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.store.CoordStore;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
                    "cannot read the missions folder " + paths.root() + ": " + dev.coord.engine.IoProblems.describe(e),
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
                    && !(rec != null && (rec.active() || rec.state() == MissionState.DONE))
                    && unmet(e, board).isEmpty()
                    && !board.occupied(MissionFolder.ACTIVE, e.fileName())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(MissionEntry::doc, MissionFormat.BY_PRIORITY));
        return out;
    }

    /**
     * What a done record means for a copy of its file outside {@code done/} in this worktree: it was completed, by
     * whom, when, and where its file moved; coord moves files only in the worktree of the session that finishes.
     */
    static String doneElsewhere(MissionClaim rec, Map<String, Instance> live, String myWorktree) {
        Instance by = live.get(rec.changedBy());
        String where = by != null && by.worktree() != null && !by.worktree().equals(myWorktree)
                ? " in the worktree " + by.worktree()
                : " in another worktree or by hand";
        return "mission " + rec.missionId() + " was completed by " + rec.changedBy() + " at "
                + rec.changedAt().truncatedTo(ChronoUnit.SECONDS) + where + ", where its file moved to done/; this"
                + " worktree's copy is still outside done/ until that branch is merged here, and a done mission is never"
                + " claimed again";
    }

    /** The live instances by id, for the messages that name where a claimer works. */
    Map<String, Instance> live() {
        Map<String, Instance> out = new HashMap<>();
        store.read().instances().forEach(i -> out.put(i.id(), i));
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
