package dev.coord.engine.store.file;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coord.engine.model.MissionClaim;
import java.util.List;

/** The content of {@code missions.json}: the mission records and the revision counter. */
record MissionsDoc(@JsonProperty("schemaVersion") int schemaVersion, long nextRev, List<MissionClaim> missions) {

    static final int VERSION = 1;

    MissionsDoc {
        missions = missions == null ? List.of() : List.copyOf(missions);
    }

    static MissionsDoc empty() {
        return new MissionsDoc(VERSION, 1, List.of());
    }
}
