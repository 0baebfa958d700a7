package dev.coord.engine.mission;

import dev.coord.engine.mission.MetadataParser.Entry;
import dev.coord.engine.mission.TextLines.Line;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads coord's fields from a parsed mission file's metadata entries, and its title and objectives from the
 * Markdown body, with the file and line in every error.
 */
final class MissionReader {

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern CHECKBOX = Pattern.compile("^[ \\t]*[-*+][ \\t]+\\[([ xX])\\](?:[ \\t]+(.*))?$");

    private final Path file;
    private final Map<String, Entry> entriesByKey;
    private final List<Line> lines;
    private final Markdown markdown;

    MissionReader(Path file, Map<String, Entry> entriesByKey, List<Line> lines, Markdown markdown) {
        this.file = file;
        this.entriesByKey = entriesByKey;
        this.lines = lines;
        this.markdown = markdown;
    }

    Optional<String> text(String key) {
        Entry entry = entriesByKey.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        MetadataValue value = entry.value();
        if (value instanceof MetadataValue.Scalar scalar) {
            return scalar.text().isBlank() ? Optional.empty() : Optional.of(scalar.text());
        }
        if (value instanceof MetadataValue.FlowList) {
            throw error(entry, key + " must be a single value, not a list");
        }
        if (value instanceof MetadataValue.Unsupported unsupported) {
            throw unsupported(entry, unsupported, "a single value on one line");
        }
        return Optional.empty();
    }

    int priority() {
        Optional<String> text = text(MissionFormat.PRIORITY);
        if (text.isEmpty()) {
            return MissionFormat.DEFAULT_PRIORITY;
        }
        Entry entry = entriesByKey.get(MissionFormat.PRIORITY);
        String value = text.get().strip();
        if (!INTEGER.matcher(value).matches()) {
            throw error(
                    entry, "priority must be an integer (a lower number is a higher priority), got '" + value + "'");
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw error(entry, "priority " + value + " is out of range");
        }
    }

    List<String> dependsOn() {
        Entry entry = entriesByKey.get(MissionFormat.DEPENDS_ON);
        if (entry == null) {
            return List.of();
        }
        MetadataValue value = entry.value();
        if (value instanceof MetadataValue.FlowList list) {
            for (String item : list.items()) {
                if (item.isBlank()) {
                    throw error(entry, "depends_on has an empty mission id");
                }
            }
            return list.items();
        }
        if (value instanceof MetadataValue.Scalar scalar) {
            throw error(
                    entry, "depends_on must be a list of mission ids like [a, b] or [], got '" + scalar.text() + "'");
        }
        if (value instanceof MetadataValue.Unsupported unsupported) {
            throw unsupported(entry, unsupported, "a list on one line like [a, b]");
        }
        return List.of();
    }

    OffsetDateTime claimedAt() {
        Optional<String> text = text(MissionFormat.CLAIMED_AT);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.get().strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw error(
                    entriesByKey.get(MissionFormat.CLAIMED_AT),
                    "claimed_at must be an ISO-8601 date-time with an offset like 2025-12-22T02:30:00+01:00, got '"
                            + text.get() + "'");
        }
    }

    String title(String missionId) {
        for (int i = 0; i < lines.size(); i++) {
            if (markdown.level(i) == 1 && !markdown.text(i).isEmpty()) {
                return markdown.text(i);
            }
        }
        return missionId;
    }

    List<Objective> objectives() {
        int section = markdown.findHeading(2, MissionFormat.OBJECTIVES);
        if (section < 0) {
            return List.of();
        }
        int end = markdown.nextHeading(section, 2, lines.size());
        List<Objective> found = new ArrayList<>();
        for (int i = section + 1; i < end && found.size() < MissionFormat.MAX_OBJECTIVES; i++) {
            if (markdown.isCode(i)) {
                continue;
            }
            Matcher m = CHECKBOX.matcher(lines.get(i).content());
            if (m.matches() && m.group(2) != null && !m.group(2).isBlank()) {
                found.add(new Objective(m.group(2).strip(), !m.group(1).equals(" "), i + 1));
            }
        }
        return List.copyOf(found);
    }

    private MissionFormatException error(Entry entry, String problem) {
        return new MissionFormatException(file, entry.lineIndex() + 1, problem);
    }

    private MissionFormatException unsupported(Entry entry, MetadataValue.Unsupported value, String expected) {
        return error(
                entry,
                entry.key() + " is written as " + value.reason() + ", which coord does not read; write it as "
                        + expected);
    }
}
