package dev.coord.engine.mission;

import dev.coord.engine.mission.TextLines.Line;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little of CommonMark that mission files need: fenced code blocks (so that a heading or a list inside an
 * example is not taken for the real thing), ATX headings, thematic breaks and list items. Setext headings are not
 * recognised.
 */
final class Markdown {

    private static final Pattern FENCE = Pattern.compile("^( {0,3})(`{3,}|~{3,})(.*)$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t](.*))?$");
    private static final Pattern CLOSING_HASHES = Pattern.compile("(?:^|[ \\t]+)#+[ \\t]*$");
    private static final Pattern THEMATIC_BREAK =
            Pattern.compile("^ {0,3}(?:(?:-[ \\t]*){3,}|(?:\\*[ \\t]*){3,}|(?:_[ \\t]*){3,})$");
    private static final Pattern LIST_ITEM = Pattern.compile("^[ \\t]*(?:[-*+]|\\d{1,9}[.)])(?:[ \\t]|$)");

    /** An opening code fence: its character, length and info string. */
    record Fence(char marker, int length, String info) {
        boolean isClosedBy(String content) {
            int i = 0;
            while (i < content.length() && i < 3 && content.charAt(i) == ' ') {
                i++;
            }
            int run = 0;
            while (i + run < content.length() && content.charAt(i + run) == marker) {
                run++;
            }
            return run >= length && content.substring(i + run).isBlank();
        }

        boolean isYaml() {
            String word = info.strip().split("[\\s{]", 2)[0].toLowerCase(Locale.ROOT);
            return word.equals("yaml") || word.equals("yml");
        }
    }

    private final boolean[] code;
    private final int[] headingLevel;
    private final String[] headingText;
    private final boolean[] thematicBreak;

    private Markdown(int size) {
        code = new boolean[size];
        headingLevel = new int[size];
        headingText = new String[size];
        thematicBreak = new boolean[size];
    }

    /**
     * Scans the lines; the lines from {@code skipFrom} to {@code skipTo} (inclusive, the metadata block, or -1
     * for none) count as code.
     */
    static Markdown scan(List<Line> lines, int skipFrom, int skipTo) {
        Markdown md = new Markdown(lines.size());
        Fence open = null;
        for (int i = 0; i < lines.size(); i++) {
            String content = lines.get(i).content();
            if (skipFrom >= 0 && i >= skipFrom && i <= skipTo) {
                md.code[i] = true;
                continue;
            }
            if (open != null) {
                md.code[i] = true;
                if (open.isClosedBy(content)) {
                    open = null;
                }
                continue;
            }
            Fence fence = openingFence(content);
            if (fence != null) {
                md.code[i] = true;
                open = fence;
                continue;
            }
            md.headingLevel[i] = headingLevel(content);
            if (md.headingLevel[i] > 0) {
                md.headingText[i] = headingText(content);
            }
            md.thematicBreak[i] = THEMATIC_BREAK.matcher(content).matches();
        }
        return md;
    }

    static Fence openingFence(String content) {
        Matcher m = FENCE.matcher(content);
        if (!m.matches()) {
            return null;
        }
        String run = m.group(2);
        String info = m.group(3);
        if (run.charAt(0) == '`' && info.indexOf('`') >= 0) {
            return null;
        }
        return new Fence(run.charAt(0), run.length(), info);
    }

    /** The ATX heading level of a line (1 to 6), or 0 when it is not a heading. */
    static int headingLevel(String content) {
        Matcher m = HEADING.matcher(content);
        return m.matches() ? m.group(1).length() : 0;
    }

    private static String headingText(String content) {
        Matcher m = HEADING.matcher(content);
        if (!m.matches() || m.group(2) == null) {
            return "";
        }
        return CLOSING_HASHES.matcher(m.group(2)).replaceFirst("").strip();
    }

    static boolean isListItem(String content) {
        return LIST_ITEM.matcher(content).find()
                && !THEMATIC_BREAK.matcher(content).matches();
    }

    int size() {
        return code.length;
    }

    boolean isCode(int index) {
        return code[index];
    }

    /** Heading level of a line outside code, or 0. */
    int level(int index) {
        return headingLevel[index];
    }

    String text(int index) {
        return headingText[index];
    }

    boolean isThematicBreak(int index) {
        return thematicBreak[index];
    }

    /** The first heading of the given level whose text equals {@code text} ignoring case, or -1. */
    int findHeading(int level, String text) {
        for (int i = 0; i < size(); i++) {
            if (headingLevel[i] == level && headingText[i].equalsIgnoreCase(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the next heading of level {@code maxLevel} or higher (smaller number) after {@code index}. */
    int nextHeading(int index, int maxLevel, int limit) {
        for (int i = index + 1; i < limit; i++) {
            if (headingLevel[i] > 0 && headingLevel[i] <= maxLevel) {
                return i;
            }
        }
        return limit;
    }
}
