package dev.coord.engine.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * Something that happened to an instance's locks or missions while it was not looking, delivered on its next call.
 *
 * @param kind what happened
 * @param path the lock key concerned, or the mission id for {@link Kind#MISSION_TAKEN} and
 *     {@link Kind#MISSION_RESTORED}, or null
 * @param token the lost grant's token, or 0
 * @param by the instance that caused it (forced release), or null
 * @param reason the reason given, or null
 * @param at when it happened
 */
public record Notice(Kind kind, String path, long token, String by, String reason, Instant at) {

    public enum Kind {
        /** Another instance released this lock with force. */
        FORCED_RELEASE,
        /** The lease ran out before it was renewed. */
        EXPIRED,
        /** This instance was declared dead (no heartbeat) and its locks were voided. */
        DECLARED_DEAD,
        /** Another instance took over, finished or gave back a mission this instance had claimed. */
        MISSION_TAKEN,
        /**
         * A damaged state file was rebuilt from the audit log: this lock (or, with no path, this registration) was
         * kept.
         */
        RESTORED,
        /** The mission records were damaged and rebuilt from the audit log: this instance's claim was kept. */
        MISSION_RESTORED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The role of the short-lived sessions the command line opens on a person's behalf. */
    public static final String CLI_ROLE = "cli";

    /** The role of the session the dashboard opens on a person's behalf. */
    public static final String DASHBOARD_ROLE = "dashboard";

    /** Whether the caller acts for a person (the command line or the dashboard), not for a model. */
    public static boolean byPerson(Instance caller) {
        return CLI_ROLE.equals(caller.role()) || DASHBOARD_ROLE.equals(caller.role());
    }

    /**
     * Who did it, as the affected session should read it: a session by its id; a person at the command line by what
     * its command-line session declared as its task ({@code user@host at the command line}).
     */
    public static String actor(Instance caller) {
        return CLI_ROLE.equals(caller.role())
                        && caller.task() != null
                        && !caller.task().isBlank()
                ? caller.task()
                : caller.id();
    }
}
