package dev.coord.engine.rules;

import dev.coord.engine.model.MissionClaim;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;

/** The mission records loaded for one transaction; {@link MissionRules} changes them, the store saves them if dirty. */
public final class MissionTable {
    private final LinkedHashMap<String, MissionClaim> byId = new LinkedHashMap<>();
    private long nextRev;
    private boolean dirty;

    /**
     * @param nextRev the next revision number to hand out (at least 1)
     * @param records the records as stored
     */
    public MissionTable(long nextRev, Collection<MissionClaim> records) {
        this.nextRev = Math.max(1, nextRev);
        for (MissionClaim c : records) {
            byId.put(c.missionId(), c);
            this.nextRev = Math.max(this.nextRev, c.rev() + 1);
        }
    }

    MissionClaim get(String missionId) {
        return byId.get(missionId);
    }

    long takeRev() {
        return nextRev++;
    }

    void put(MissionClaim claim) {
        byId.remove(claim.missionId());
        byId.put(claim.missionId(), claim);
        dirty = true;
    }

    /** Replaces a record in place, keeping its position. */
    void replace(MissionClaim claim) {
        byId.put(claim.missionId(), claim);
        dirty = true;
    }

    void remove(String missionId) {
        if (byId.remove(missionId) != null) {
            dirty = true;
        }
    }

    /** The next revision number to hand out. */
    public long nextRev() {
        return nextRev;
    }

    /** Whether a rule changed the records. */
    public boolean dirty() {
        return dirty;
    }

    /** Every record, oldest change first. */
    public List<MissionClaim> all() {
        return List.copyOf(byId.values());
    }
}
