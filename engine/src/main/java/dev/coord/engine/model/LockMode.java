package dev.coord.engine.model;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.coord.engine.CoordException;
import java.util.Locale;

/** Lock modes: shared locks are compatible only with shared locks. */
public enum LockMode {
    EXCLUSIVE,
    SHARED;

    public boolean compatibleWith(LockMode other) {
        return this == SHARED && other == SHARED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code exclusive} or {@code shared}; null means exclusive. */
    public static LockMode parse(String value) {
        if (value == null || value.isBlank()) {
            return EXCLUSIVE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "exclusive" -> EXCLUSIVE;
            case "shared" -> SHARED;
            default ->
                throw CoordException.invalidArgument("mode must be \"exclusive\" or \"shared\", got \"" + value + "\"");
        };
    }
}
