package dev.coord.tools;

import dev.coord.engine.model.Notice;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The words the model reads for a {@link Notice} in a tool's result ({@code notices} of acquire, release, status...):
 * what happened to its locks or missions, and what to do. (The hooks' news phrases notices in {@link NewsLines}.)
 */
public final class Notices {

    private Notices() {}

    /** One line for a model: what happened and what to do. */
    public static String message(Notice n) {
        String what =
                switch (n.kind()) {
                    case FORCED_RELEASE ->
                        "your lock on " + n.path() + " (token " + n.token() + ") was force-released by " + n.by()
                                + (n.reason() == null ? "" : ": " + n.reason());
                    case EXPIRED ->
                        "your lock on " + n.path() + " (token " + n.token() + ") expired at " + seconds(n.at())
                                + " before it was renewed";
                    case DECLARED_DEAD ->
                        "this session missed its heartbeats and was declared dead at " + seconds(n.at())
                                + (n.path() == null
                                        ? ""
                                        : "; its lock on " + n.path() + " (token " + n.token() + ") was voided");
                    case MISSION_TAKEN ->
                        "your claim on mission " + n.path() + " was overridden by " + n.by() + " at " + seconds(n.at())
                                + (n.reason() == null ? "" : ": " + n.reason());
                    case RESTORED ->
                        n.path() == null
                                ? "the session registry was damaged and rebuilt from the audit log at " + n.at()
                                        + "; this session stayed registered, but notices pending for it may be lost"
                                : "the lock table was damaged and rebuilt from the audit log at " + n.at()
                                        + "; your lock on " + n.path() + " (token " + n.token()
                                        + ") was kept and its lease runs from then";
                    case MISSION_RESTORED ->
                        "the mission records were damaged and rebuilt from the audit log at " + n.at()
                                + "; your claim on mission " + n.path() + " was kept";
                };
        if (n.kind() == Notice.Kind.MISSION_RESTORED) {
            return what + ". Run status to check your missions.";
        }
        if (n.kind() == Notice.Kind.RESTORED) {
            return what + ". Run status to check your locks.";
        }
        if (n.kind() == Notice.Kind.MISSION_TAKEN) {
            return what + ". Stop working on it; run status to see who holds it now.";
        }
        return what + ". Re-acquire before editing and check the file for changes.";
    }

    private static Instant seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
    }
}
