package dev.coord.engine.mission;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Objects;

/** Names, defaults and small formatting helpers of the mission file format. */
public final class MissionFormat {

    public static final String MISSION_ID = "mission_id";
    public static final String STATUS = "status";
    public static final String ASSIGNED_TO = "assigned_to";
    public static final String CREATED = "created";
    public static final String PRIORITY = "priority";
    public static final String DEPENDS_ON = "depends_on";
    public static final String CLAIMED_AT = "claimed_at";
    public static final String CLAIMED_BY = "claimed_by";
    public static final String COMPLETED_AT = "completed_at";

    /** The heading of the section that {@link MissionDocument#withLogEntry} appends to. */
    public static final String EXECUTION_LOG = "Execution Log";

    /** The heading of the section that {@link MissionDocument#objectives()} reads. */
    public static final String OBJECTIVES = "Objectives";

    /**
     * The priority of a mission without a {@code priority} key. A lower number is a higher priority ({@code 1} is
     * the most important, as in the mission that started coord), so a mission that says nothing comes last.
     */
    public static final int DEFAULT_PRIORITY = Integer.MAX_VALUE;

    /** At most this many objectives are read from a file; the rest are ignored. */
    public static final int MAX_OBJECTIVES = 100;

    /**
     * Most important first: lower {@code priority} first, then older {@code created} first (ISO dates sort as
     * text; a mission without one comes after those with one), then by mission id.
     */
    public static final Comparator<MissionDocument> BY_PRIORITY = Comparator.comparingInt(MissionDocument::priority)
            .thenComparing(d -> d.created().orElse(null), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(MissionDocument::missionId);

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    private MissionFormat() {}

    /** The mission id of a file that does not set {@code mission_id}: its name without {@code .md}. */
    public static String missionIdFromFileName(Path file) {
        Path name = Objects.requireNonNull(file, "file").getFileName();
        String text = name == null ? file.toString() : name.toString();
        boolean markdown = text.length() > 3 && text.regionMatches(true, text.length() - 3, ".md", 0, 3);
        return markdown ? text.substring(0, text.length() - 3) : text;
    }

    /**
     * A {@code claimed_at} value: ISO-8601 to the second with the offset, e.g. {@code 2025-12-22T02:30:00+01:00}
     * ({@code Z} for UTC). Unlike {@link OffsetDateTime#toString()} it always has the seconds.
     */
    public static String timestamp(OffsetDateTime time) {
        return TIMESTAMP.format(Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * An execution log line, without the leading {@code "- "}: {@code HH:mm - **EVENT** detail}, or
     * {@code HH:mm - **EVENT**} when the detail is blank. Line breaks and runs of blanks become single spaces.
     */
    public static String logLine(LocalTime time, String event, String detail) {
        String name = oneLine(Objects.requireNonNull(event, "event"));
        if (name.isEmpty()) {
            throw new IllegalArgumentException("log event must not be blank");
        }
        String text = detail == null ? "" : oneLine(detail);
        String head = CLOCK.format(Objects.requireNonNull(time, "time")) + " - **" + name + "**";
        return text.isEmpty() ? head : head + " " + text;
    }

    /**
     * The log line of a claim: {@code HH:mm - **CLAIMED** by <instance> ("<task>")}, or without the parenthesis
     * when the task is blank.
     */
    public static String claimedLine(LocalTime time, String instance, String task) {
        String who = oneLine(Objects.requireNonNull(instance, "instance"));
        if (who.isEmpty()) {
            throw new IllegalArgumentException("claiming instance must not be blank");
        }
        String what = task == null ? "" : oneLine(task);
        return logLine(time, "CLAIMED", what.isEmpty() ? "by " + who : "by " + who + " (\"" + what + "\")");
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\s\\u0085\\u2028\\u2029]+", " ").strip();
    }
}
