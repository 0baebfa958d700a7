package dev.coord.engine.mission;

import dev.coord.engine.mission.MetadataParser.QuoteStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the value on a metadata key line for {@link MetadataParser}: a plain scalar, a single- or double-quoted
 * string or a flow list on one line, or what coord keeps as {@link MetadataValue.Unsupported}, with the columns
 * of its token and its quote style.
 */
final class MetadataValueScanner {

    private MetadataValueScanner() {}

    /** The value of a key line: the parsed value, where its token is, and how it is quoted. */
    record ValueToken(MetadataValue value, int valueStart, int valueEnd, QuoteStyle style, boolean blockScalar) {}

    static ValueToken value(String content, int colon) {
        int length = content.length();
        int start = colon + 1;
        while (start < length && MetadataParser.isSpace(content.charAt(start))) {
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
                && (start + 1 == length || MetadataParser.isSpace(content.charAt(start + 1)))) {
            return unsupported(rest, start, length, "a nested collection on the key's line", false);
        }
        int end = commentStart(content, start);
        while (end > start && MetadataParser.isSpace(content.charAt(end - 1))) {
            end--;
        }
        String text = content.substring(start, end);
        if (text.contains(": ") || text.contains(":\t") || text.endsWith(":")) {
            return unsupported(rest, start, length, "a nested map on one line ('a: b: c'); quote the value", false);
        }
        if (MetadataParser.NULL_WORDS.contains(text)) {
            return new ValueToken(new MetadataValue.Empty(), start, end, QuoteStyle.PLAIN, false);
        }
        return new ValueToken(new MetadataValue.Scalar(text), start, end, QuoteStyle.PLAIN, false);
    }

    private static int commentStart(String content, int from) {
        for (int j = from + 1; j < content.length(); j++) {
            if (content.charAt(j) == '#' && MetadataParser.isSpace(content.charAt(j - 1))) {
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
        if (!tailStripped.isEmpty() && !(tailStripped.startsWith("#") && MetadataParser.isSpace(tail.charAt(0)))) {
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
            while (j < content.length() && MetadataParser.isSpace(content.charAt(j))) {
                j++;
            }
            if (j >= content.length() || (content.charAt(j) == '#' && MetadataParser.isSpace(content.charAt(j - 1)))) {
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
                if (d == '#' && MetadataParser.isSpace(content.charAt(j - 1))) {
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
