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
        final ValueToken token;
        final boolean keyValueEmpty;
        final boolean blockScalar;
        int lastLineIndex;
        String continuationReason;

        Pending(String key, int lineIndex, String indentation, ValueToken token) {
            this.key = key;
            this.lineIndex = lineIndex;
            this.indentation = indentation;
            this.token = token;
            this.keyValueEmpty = token.valueStart == token.valueEnd;
            this.blockScalar = token.blockScalar;
            this.lastLineIndex = lineIndex;
        }

        void continueOn(int index, String trimmed) {
            if (continuationReason == null) {
                if (token.value instanceof MetadataValue.Unsupported unsupported) {
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
            MetadataValue value = token.value;
            if (lastLineIndex > lineIndex) {
                String keyLine = lines.get(lineIndex).content();
                StringBuilder raw = new StringBuilder(keyLine.substring(token.valueStart));
                for (int i = lineIndex + 1; i <= lastLineIndex; i++) {
                    raw.append('\n').append(lines.get(i).content());
                }
                value = new MetadataValue.Unsupported(raw.toString().strip(), continuationReason);
            }
            return new Entry(
                    key, lineIndex, lastLineIndex, indentation, token.valueStart, token.valueEnd, token.style, value);
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
        ValueToken token = value(content, colon);
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

    /** The value of a key line: the parsed value, where its token is, and how it is quoted. */
    private record ValueToken(
            MetadataValue value, int valueStart, int valueEnd, QuoteStyle style, boolean blockScalar) {}

    private static ValueToken value(String content, int colon) {
        int length = content.length();
        int start = colon + 1;
        while (start < length && isSpace(content.charAt(start))) {
            start++;
        }
        if (start == length || content.charAt(start) == '#') {
            return new ValueToken(new MetadataValue.Empty(), colon + 1, colon + 1, QuoteStyle.NONE, false);
        }
        char first = content.charAt(start);
        String rest = content.substring(start);
        switch (first) {
            case '"':
                return quoted(content, start, doubleQuoted(content, start), QuoteStyle.DOUBLE);
            case '\'':
                return quoted(content, start, singleQuoted(content, start), QuoteStyle.SINGLE);
            case '[':
                return quoted(content, start, flowList(content, start), QuoteStyle.NONE);
            case '{':
                return unsupported(rest, start, length, "a flow map ({...})", false);
            case '|':
            case '>':
                return unsupported(rest, start, length, "a block string (| or >)", true);
            case '&':
            case '*':
            case '!':
                return unsupported(rest, start, length, "an anchor, alias or tag (&, *, !)", false);
            case '%':
            case '@':
            case '`':
                return unsupported(rest, start, length, "a value starting with the reserved character " + first, false);
            default:
                break;
        }
        if ((first == '-' || first == '?' || first == ':')
                && (start + 1 == length || isSpace(content.charAt(start + 1)))) {
            return unsupported(rest, start, length, "a nested collection on the key's line", false);
        }
        int end = commentStart(content, start);
        while (end > start && isSpace(content.charAt(end - 1))) {
            end--;
        }
        String text = content.substring(start, end);
        if (text.contains(": ") || text.contains(":\t") || text.endsWith(":")) {
            return unsupported(rest, start, length, "a nested map on one line ('a: b: c'); quote the value", false);
        }
        if (NULL_WORDS.contains(text)) {
            return new ValueToken(new MetadataValue.Empty(), start, end, QuoteStyle.PLAIN, false);
        }
        return new ValueToken(new MetadataValue.Scalar(text), start, end, QuoteStyle.PLAIN, false);
    }

    private static int commentStart(String content, int from) {
        for (int j = from + 1; j < content.length(); j++) {
            if (content.charAt(j) == '#' && isSpace(content.charAt(j - 1))) {
                return j;
            }
        }
        return content.length();
    }

    private static ValueToken unsupported(String rest, int start, int length, String reason, boolean blockScalar) {
        return new ValueToken(
                new MetadataValue.Unsupported(rest.strip(), reason), start, length, QuoteStyle.NONE, blockScalar);
    }

    /** The result of scanning a quoted string or a flow list: the value and the column after it, or a reason. */
    private record Scan(MetadataValue value, int end, String problem) {
        static Scan ok(MetadataValue value, int end) {
            return new Scan(value, end, null);
        }

        static Scan fail(String problem) {
            return new Scan(null, -1, problem);
        }
    }

    private static ValueToken quoted(String content, int start, Scan scan, QuoteStyle style) {
        int length = content.length();
        String rest = content.substring(start);
        if (scan.problem() != null) {
            return unsupported(rest, start, length, scan.problem(), false);
        }
        String tail = content.substring(scan.end());
        String tailStripped = tail.strip();
        if (!tailStripped.isEmpty() && !(tailStripped.startsWith("#") && isSpace(tail.charAt(0)))) {
            return unsupported(rest, start, length, "text after the closing quote or bracket", false);
        }
        return new ValueToken(scan.value(), start, scan.end(), style, false);
    }

    private static Scan doubleQuoted(String content, int open) {
        StringBuilder text = new StringBuilder();
        int j = open + 1;
        while (j < content.length()) {
            char c = content.charAt(j);
            if (c == '"') {
                return Scan.ok(new MetadataValue.Scalar(text.toString()), j + 1);
            }
            if (c != '\\') {
                text.append(c);
                j++;
                continue;
            }
            if (j + 1 >= content.length()) {
                break;
            }
            char e = content.charAt(j + 1);
            int hexDigits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
            if (hexDigits > 0) {
                if (j + 2 + hexDigits > content.length()) {
                    return Scan.fail("an invalid escape \\" + e + " in a double-quoted string");
                }
                String hex = content.substring(j + 2, j + 2 + hexDigits);
                int codePoint;
                try {
                    codePoint = Integer.parseInt(hex, 16);
                } catch (NumberFormatException ex) {
                    return Scan.fail("an invalid escape \\" + e + hex + " in a double-quoted string");
                }
                if (!Character.isValidCodePoint(codePoint)) {
                    return Scan.fail("an invalid escape \\" + e + hex + " in a double-quoted string");
                }
                text.appendCodePoint(codePoint);
                j += 2 + hexDigits;
                continue;
            }
            String simple = simpleEscape(e);
            if (simple == null) {
                return Scan.fail("an invalid escape \\" + e + " in a double-quoted string");
            }
            text.append(simple);
            j += 2;
        }
        return Scan.fail("a double-quoted string that does not close on its line (multi-line strings)");
    }

    private static String simpleEscape(char e) {
        switch (e) {
            case '0':
                return "\0";
            case 'a':
                return "\u0007";
            case 'b':
                return "\b";
            case 't':
            case '\t':
                return "\t";
            case 'n':
                return "\n";
            case 'v':
                return "\u000B";
            case 'f':
                return "\f";
            case 'r':
                return "\r";
            case 'e':
                return "\u001B";
            case ' ':
                return " ";
            case '"':
                return "\"";
            case '/':
                return "/";
            case '\\':
                return "\\";
            case 'N':
                return "\u0085";
            case '_':
                return "\u00A0";
            case 'L':
                return "\u2028";
            case 'P':
                return "\u2029";
            default:
                return null;
        }
    }

    private static Scan singleQuoted(String content, int open) {
        StringBuilder text = new StringBuilder();
        int j = open + 1;
        while (j < content.length()) {
            char c = content.charAt(j);
            if (c == '\'') {
                if (j + 1 < content.length() && content.charAt(j + 1) == '\'') {
                    text.append('\'');
                    j += 2;
                    continue;
                }
                return Scan.ok(new MetadataValue.Scalar(text.toString()), j + 1);
            }
            text.append(c);
            j++;
        }
        return Scan.fail("a single-quoted string that does not close on its line (multi-line strings)");
    }

    private static Scan flowList(String content, int open) {
        List<String> items = new ArrayList<>();
        int j = open + 1;
        boolean expectItem = true;
        while (true) {
            while (j < content.length() && isSpace(content.charAt(j))) {
                j++;
            }
            if (j >= content.length() || (content.charAt(j) == '#' && isSpace(content.charAt(j - 1)))) {
                return Scan.fail("a flow list that does not close on its line (multi-line lists)");
            }
            char c = content.charAt(j);
            if (c == ']') {
                return Scan.ok(new MetadataValue.FlowList(items), j + 1);
            }
            if (!expectItem) {
                if (c != ',') {
                    return Scan.fail("a flow list with a missing comma");
                }
                j++;
                expectItem = true;
                continue;
            }
            if (c == ',') {
                return Scan.fail("a flow list with an empty item");
            }
            if (c == '[' || c == '{') {
                return Scan.fail("a nested collection inside a flow list");
            }
            if (c == '"' || c == '\'') {
                Scan item = c == '"' ? doubleQuoted(content, j) : singleQuoted(content, j);
                if (item.problem() != null) {
                    return item;
                }
                items.add(((MetadataValue.Scalar) item.value()).text());
                j = item.end();
                expectItem = false;
                continue;
            }
            int itemStart = j;
            while (j < content.length()) {
                char d = content.charAt(j);
                if (d == ',' || d == ']') {
                    break;
                }
                if (d == '[' || d == '{' || d == '}') {
                    return Scan.fail("a nested collection inside a flow list");
                }
                if (d == '#' && isSpace(content.charAt(j - 1))) {
                    return Scan.fail("a flow list that does not close on its line (multi-line lists)");
                }
                j++;
            }
            String item = content.substring(itemStart, j).strip();
            if (item.contains(": ") || item.endsWith(":")) {
                return Scan.fail("a map inside a flow list");
            }
            items.add(item);
            expectItem = false;
        }
    }
}
