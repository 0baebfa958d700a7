package dev.coord.engine.mission;

import dev.coord.engine.mission.TextLines.Line;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser for the YAML subset of mission metadata: flat {@code key: value} lines whose values are plain
 * scalars, single- or double-quoted strings on one line, or flow lists on one line; {@code #} comments and blank
 * lines. Anything else attached to a key (nested map, block list, block or multi-line string, flow map, anchor,
 * tag) is kept as {@link MetadataValue.Unsupported}. A line that belongs to no key, a key indented less than the
 * first key, and a key given twice are errors, as they are for YAML itself.
 */
final class MetadataParser {

    /** How the value of an entry is written, so that a replacement can keep the style. */
    enum QuoteStyle {
        NONE,
        PLAIN,
        SINGLE,
        DOUBLE
    }

    /**
     * One top-level entry with the positions needed to edit it in place.
     *
     * @param lineIndex 0-based index of the key line
     * @param lastLineIndex 0-based index of the entry's last line (its last continuation line, if any)
     * @param indentation the key line's leading whitespace
     * @param valueStart column where the value token starts (just after the colon when there is no token)
     * @param valueEnd column just after the value token; everything from there on (spacing, comment) is kept
     */
    record Entry(
            String key,
            int lineIndex,
            int lastLineIndex,
            String indentation,
            int valueStart,
            int valueEnd,
            QuoteStyle style,
            MetadataValue value) {

        MetadataField toField() {
            return new MetadataField(key, lineIndex + 1, value);
        }
    }

    static final Set<String> NULL_WORDS = Set.of("~", "null", "Null", "NULL");

    private MetadataParser() {}

    /**
     * Parses the lines {@code from} (inclusive) to {@code to} (exclusive): the content of the block, without its
     * delimiter lines.
     */
    static List<Entry> parse(Path file, List<Line> lines, int from, int to) {
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int topIndent = -1;
        int firstKeyLine = -1;
        Pending current = null;
        for (int i = from; i < to; i++) {
            String content = lines.get(i).content();
            String trimmed = content.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int indent = TextLines.indentation(content);
            if (current != null && current.blockScalar && indent > topIndent) {
                current.continueOn(i, trimmed);
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (current != null && indent > topIndent) {
                current.continueOn(i, trimmed);
                continue;
            }
            if (current != null && indent == topIndent && current.keyValueEmpty && isBlockListItem(trimmed)) {
                current.continueOn(i, trimmed);
                continue;
            }
            if (topIndent >= 0 && indent < topIndent) {
                throw new MissionFormatException(
                        file,
                        i + 1,
                        "metadata line is indented less than the first key (line " + (firstKeyLine + 1)
                                + "); all keys must start in the same column");
            }
            Pending next = keyLine(file, lines, i, content, indent);
            Integer previous = seen.putIfAbsent(next.key, i);
            if (previous != null) {
                throw new MissionFormatException(
                        file,
                        i + 1,
                        "metadata key '" + next.key + "' is already set on line " + (previous + 1)
                                + "; keep only one of them");
            }
            if (current != null) {
                entries.add(current.finish(lines));
            }
            if (topIndent < 0) {
                topIndent = indent;
                firstKeyLine = i;
            }
            current = next;
        }
        if (current != null) {
            entries.add(current.finish(lines));
        }
        return entries;
    }

    private static boolean isBlockListItem(String trimmed) {
        return trimmed.equals("-") || trimmed.startsWith("- ") || trimmed.startsWith("-\t");
    }

    /** An entry while its continuation lines are still being collected. */
    private static final class Pending {
        final String key;
        final int lineIndex;
        final String indentation;
        final MetadataValueScanner.ValueToken token;
        final boolean keyValueEmpty;
        final boolean blockScalar;
        int lastLineIndex;
        String continuationReason;

        Pending(String key, int lineIndex, String indentation, MetadataValueScanner.ValueToken token) {
            this.key = key;
            this.lineIndex = lineIndex;
            this.indentation = indentation;
            this.token = token;
            this.keyValueEmpty = token.valueStart() == token.valueEnd();
            this.blockScalar = token.blockScalar();
            this.lastLineIndex = lineIndex;
        }

        void continueOn(int index, String trimmed) {
            if (continuationReason == null) {
                if (token.value() instanceof MetadataValue.Unsupported unsupported) {
                    continuationReason = unsupported.reason();
                } else if (keyValueEmpty) {
                    continuationReason = isBlockListItem(trimmed)
                            ? "a block list ('- item' lines)"
                            : "a nested map or a value on the following lines";
                } else {
                    continuationReason = "a value continued on the following lines (multi-line string)";
                }
            }
            lastLineIndex = index;
        }

        Entry finish(List<Line> lines) {
            MetadataValue value = token.value();
            if (lastLineIndex > lineIndex) {
                String keyLine = lines.get(lineIndex).content();
                StringBuilder raw = new StringBuilder(keyLine.substring(token.valueStart()));
                for (int i = lineIndex + 1; i <= lastLineIndex; i++) {
                    raw.append('\n').append(lines.get(i).content());
                }
                value = new MetadataValue.Unsupported(raw.toString().strip(), continuationReason);
            }
            return new Entry(
                    key,
                    lineIndex,
                    lastLineIndex,
                    indentation,
                    token.valueStart(),
                    token.valueEnd(),
                    token.style(),
                    value);
        }
    }

    private static Pending keyLine(Path file, List<Line> lines, int index, String content, int indent) {
        int colon = -1;
        for (int j = indent; j < content.length(); j++) {
            char c = content.charAt(j);
            if (c == ':' && (j + 1 == content.length() || isSpace(content.charAt(j + 1)))) {
                colon = j;
                break;
            }
        }
        String key = colon < 0 ? "" : content.substring(indent, colon).strip();
        if (colon < 0 || !isPlainKey(key)) {
            throw new MissionFormatException(
                    file,
                    index + 1,
                    "metadata line is not a 'key: value' line: '" + content.strip()
                            + "' (only flat 'key: value' lines, comments and blank lines are allowed here)");
        }
        MetadataValueScanner.ValueToken token = MetadataValueScanner.value(content, colon);
        return new Pending(key, index, content.substring(0, indent), token);
    }

    private static boolean isPlainKey(String key) {
        if (key.isEmpty() || key.contains(" #") || key.contains("\t#")) {
            return false;
        }
        return "#'\"[]{},&*!|>%@`?:-".indexOf(key.charAt(0)) < 0;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
