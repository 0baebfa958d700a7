package dev.coord.engine.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a mission stands in the store's records; the folder its file belongs in once the record is settled. */
public enum MissionState {
    /** Claimed and being worked on: {@code active/}. */
    ACTIVE,
    /** Completed: {@code done/}. */
    DONE,
    /** Given back: {@code queue/}, claimable again. */
    QUEUED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The folder of the missions root that holds files in this state. */
    public String folder() {
        return switch (this) {
            case ACTIVE -> "active";
            case DONE -> "done";
            case QUEUED -> "queue";
        };
    }
}
