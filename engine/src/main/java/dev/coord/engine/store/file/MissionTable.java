package dev.coord.engine.store.file;

import dev.coord.engine.model.MissionClaim;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** The mission records loaded for one transaction; {@link MissionRules} changes them, the store saves them if dirty. */
final class MissionTable {
    final LinkedHashMap<String, MissionClaim> byId = new LinkedHashMap<>();
    long nextRev;
    boolean dirty;

    MissionTable(MissionsDoc doc) {
        nextRev = Math.max(1, doc.nextRev());
        for (MissionClaim c : doc.missions()) {
            byId.put(c.missionId(), c);
            nextRev = Math.max(nextRev, c.rev() + 1);
        }
    }

    void put(MissionClaim claim) {
        byId.remove(claim.missionId());
        byId.put(claim.missionId(), claim);
        dirty = true;
    }

    MissionsDoc doc() {
        return new MissionsDoc(MissionsDoc.VERSION, nextRev, new ArrayList<>(byId.values()));
    }

    List<MissionClaim> all() {
        return List.copyOf(byId.values());
    }
}
