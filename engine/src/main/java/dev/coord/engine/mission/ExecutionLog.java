package dev.coord.engine.mission;

import dev.coord.engine.mission.TextLines.Line;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Where {@link MissionDocument#withLogEntry} puts a line of the {@code ## Execution Log}, and the lines it adds. */
final class ExecutionLog {

    private final List<Line> lines;
    private final Markdown markdown;

    ExecutionLog(List<Line> lines, Markdown markdown) {
        this.lines = lines;
        this.markdown = markdown;
    }

    /** The document's lines with {@code - <line>} added under the day's heading (see the caller's contract). */
    List<Line> append(LocalDate day, String line) {
        String date = DateTimeFormatter.ISO_LOCAL_DATE.format(day);
        String item = "- " + line;
        int section = markdown.findHeading(2, MissionFormat.EXECUTION_LOG);
        if (section < 0) {
            List<String> added = new ArrayList<>();
            if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                added.add("");
            }
            added.addAll(List.of("## " + MissionFormat.EXECUTION_LOG, "", "### " + date, "", item));
            return insert(lines.size(), added);
        }
        int sectionEnd = markdown.nextHeading(section, 2, lines.size());
        int lastSubheading = section;
        for (int i = section + 1; i < sectionEnd; i++) {
            if (markdown.level(i) >= 3) {
                lastSubheading = i;
            }
        }
        int bodyEnd = sectionEnd;
        for (int i = lastSubheading + 1; i < sectionEnd; i++) {
            if (markdown.isThematicBreak(i)) {
                bodyEnd = i;
                break;
            }
        }
        int dayHeading = -1;
        for (int i = section + 1; i < bodyEnd; i++) {
            if (markdown.level(i) == 3 && isDayHeading(markdown.text(i), date)) {
                dayHeading = i;
            }
        }
        if (dayHeading >= 0) {
            int dayEnd = markdown.nextHeading(dayHeading, 3, bodyEnd);
            int lastItem = -1;
            for (int i = dayHeading + 1; i < dayEnd; i++) {
                if (!markdown.isCode(i) && Markdown.isListItem(lines.get(i).content())) {
                    lastItem = i;
                }
            }
            if (lastItem >= 0) {
                return insert(endOfListItem(lastItem, dayEnd) + 1, List.of(item));
            }
            return insert(TextLines.lastNonBlank(lines, dayHeading, dayEnd) + 1, List.of("", item));
        }
        int at = TextLines.lastNonBlank(lines, section, bodyEnd) + 1;
        List<String> added = new ArrayList<>(List.of("", "### " + date, "", item));
        if (at < lines.size() && !lines.get(at).isBlank()) {
            added.add("");
        }
        return insert(at, added);
    }

    /** The last line of a list item: the item line and the indented lines (and blank lines between them) after it. */
    private int endOfListItem(int item, int limit) {
        int last = item;
        for (int i = item + 1; i < limit; i++) {
            Line line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (TextLines.indentation(line.content()) >= 2 && markdown.level(i) == 0) {
                last = i;
            } else {
                break;
            }
        }
        return last;
    }

    private static boolean isDayHeading(String text, String date) {
        return text.startsWith(date)
                && (text.length() == date.length() || !Character.isDigit(text.charAt(date.length())));
    }

    private List<Line> insert(int index, List<String> contents) {
        return TextLines.insert(lines, index, contents, TextLines.dominantEol(lines));
    }
}
