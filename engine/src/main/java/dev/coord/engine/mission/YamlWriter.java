package dev.coord.engine.mission;

import dev.coord.engine.mission.MetadataParser.QuoteStyle;
import java.util.List;

/** Writes values for the metadata subset so that {@link MetadataParser} reads back exactly the given text. */
final class YamlWriter {

    private static final String INDICATORS = ",[]{}#&*!|>'\"%@`";

    private YamlWriter() {}

    /**
     * The value as it should be written after {@code key: }. A value that was double- or single-quoted stays so;
     * otherwise it is written plain when that is safe and double-quoted when not, or double-quoted whenever
     * {@code forceQuotes} is set.
     */
    static String scalar(String value, QuoteStyle existing, boolean forceQuotes) {
        if (existing == QuoteStyle.SINGLE) {
            String single = singleQuoted(value);
            return single != null ? single : doubleQuoted(value);
        }
        if (existing == QuoteStyle.DOUBLE || forceQuotes || !isSafePlain(value)) {
            return doubleQuoted(value);
        }
        return value;
    }

    /** {@code [a, "b c"]}: items plain when safe inside a flow list, double-quoted otherwise. */
    static String flowList(List<String> items) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            if (i > 0) {
                out.append(", ");
            }
            boolean plain = isSafePlain(item)
                    && item.chars().noneMatch(c -> c == ',' || c == '[' || c == ']' || c == '{' || c == '}');
            out.append(plain ? item : doubleQuoted(item));
        }
        return out.append(']').toString();
    }

    /**
     * Whether the text can be written as a plain scalar and read back unchanged: not empty, no surrounding
     * blanks, no null word, no leading indicator, no {@code #}, no {@code ": "}, no trailing colon, and no control
     * or line-breaking characters. ISO dates and timestamps ({@code 2025-12-22T02:30:00+01:00}) are plain.
     */
    static boolean isSafePlain(String value) {
        if (value.isEmpty() || !value.equals(value.strip()) || MetadataParser.NULL_WORDS.contains(value)) {
            return false;
        }
        char first = value.charAt(0);
        if (first == '-' || first == '?' || first == ':') {
            if (value.length() == 1 || Character.isWhitespace(value.charAt(1))) {
                return false;
            }
        } else if (INDICATORS.indexOf(first) >= 0) {
            return false;
        }
        if (value.indexOf('#') >= 0 || value.contains(": ") || value.contains(":\t") || value.endsWith(":")) {
            return false;
        }
        return value.chars().noneMatch(YamlWriter::needsEscape) && value.indexOf('\t') < 0;
    }

    static String doubleQuoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (needsEscape(c)) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    /** {@code 'text'} with {@code '} doubled, or null when the text has characters a single-quoted line cannot hold. */
    static String singleQuoted(String value) {
        if (value.chars().anyMatch(c -> c == '\t' || needsEscape(c))) {
            return null;
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private static boolean needsEscape(int c) {
        return c < 0x20 || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xFEFF;
    }
}
