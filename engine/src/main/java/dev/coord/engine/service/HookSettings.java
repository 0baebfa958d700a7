package dev.coord.engine.service;

import dev.coord.engine.CoordException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What the hooks Claude Code calls do.
 *
 * @param enforce what the edit guard does when another session holds the file
 * @param editClaimIdle an edit claim ends after this long without an edit of its file
 */
public record HookSettings(Enforce enforce, Duration editClaimIdle) {
    /** Default of {@code COORD_EDIT_CLAIM_IDLE}: see docs/configuration.md for why. */
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

    public static final Duration MIN_IDLE = Duration.ofSeconds(10);

    /** {@code COORD_ENFORCE}: what the edit guard does about a file another session holds. */
    public enum Enforce {
        /** The edit goes ahead; the model and the user are warned. The default. */
        WARN,
        /** The edit is refused with the reason. */
        DENY,
        /** Nothing is checked and no claim is taken. */
        OFF;

        /** Parses {@code warn}, {@code deny} or {@code off}; null or blank is {@code warn}. */
        public static Enforce parse(String raw) {
            if (raw == null || raw.isBlank()) {
                return WARN;
            }
            return switch (raw.strip().toLowerCase(Locale.ROOT)) {
                case "warn" -> WARN;
                case "deny" -> DENY;
                case "off" -> OFF;
                default ->
                    throw CoordException.invalidArgument(
                            "COORD_ENFORCE must be warn, deny or off, got \"" + raw.strip() + "\"");
            };
        }
    }

    public HookSettings {
        Objects.requireNonNull(enforce, "enforce");
        Objects.requireNonNull(editClaimIdle, "editClaimIdle");
        if (editClaimIdle.compareTo(MIN_IDLE) < 0) {
            throw new IllegalArgumentException("the edit-claim idle time must be at least " + MIN_IDLE.toSeconds()
                    + " s, got " + editClaimIdle.toSeconds() + " s");
        }
    }

    public static HookSettings defaults() {
        return new HookSettings(Enforce.WARN, DEFAULT_IDLE);
    }
}
