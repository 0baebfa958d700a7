package dev.coord.engine;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/** Instance ids: {@code claude-YYYYMMDD-HHMMSS-<8 hex>}, UTC, as the predecessor wrote them. */
public final class InstanceIds {
    public static final Pattern FORMAT = Pattern.compile("claude-\\d{8}-\\d{6}-[0-9a-f]{8}");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private InstanceIds() {}

    public static String newId(Instant now) {
        return "claude-" + STAMP.format(now) + "-" + String.format("%08x", RANDOM.nextInt());
    }
}
