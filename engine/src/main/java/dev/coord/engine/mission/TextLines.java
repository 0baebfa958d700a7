package dev.coord.engine.mission;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of a mission file as lines that keep their own terminator, so that joining them gives the text back
 * exactly. Only {@code \n} and {@code \r\n} end a line; a lone {@code \r} stays part of the line's content.
 */
final class TextLines {

    /** One line: its content without terminator, and the terminator ({@code "\n"}, {@code "\r\n"} or "" for the last). */
    record Line(String content, String eol) {
        boolean isBlank() {
            return content.isBlank();
        }
    }

    private TextLines() {}

    static List<Line> split(String text) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int length = text.length();
        while (start < length) {
            int newline = text.indexOf('\n', start);
            if (newline < 0) {
                lines.add(new Line(text.substring(start), ""));
                break;
            }
            boolean crlf = newline > start && text.charAt(newline - 1) == '\r';
            int contentEnd = crlf ? newline - 1 : newline;
            lines.add(new Line(text.substring(start, contentEnd), crlf ? "\r\n" : "\n"));
            start = newline + 1;
        }
        return lines;
    }

    static String join(List<Line> lines) {
        StringBuilder text = new StringBuilder();
        for (Line line : lines) {
            text.append(line.content()).append(line.eol());
        }
        return text.toString();
    }

    /** The terminator used by most lines of the file; {@code "\n"} when there is a tie or no terminator at all. */
    static String dominantEol(List<Line> lines) {
        int crlf = 0;
        int lf = 0;
        for (Line line : lines) {
            if (line.eol().equals("\r\n")) {
                crlf++;
            } else if (line.eol().equals("\n")) {
                lf++;
            }
        }
        return crlf > lf ? "\r\n" : "\n";
    }

    /**
     * Inserts lines (given without terminator) before {@code index}. Every inserted line gets {@code eol}, except
     * when appending at the end of a file whose last line has no terminator: then that last line gets one and the
     * last inserted line goes without, so the file keeps "no newline at end of file".
     */
    static List<Line> insert(List<Line> lines, int index, List<String> contents, String eol) {
        List<Line> result = new ArrayList<>(lines);
        boolean keepMissingFinalEol = index == lines.size()
                && !lines.isEmpty()
                && lines.get(lines.size() - 1).eol().isEmpty();
        if (keepMissingFinalEol) {
            Line last = result.get(result.size() - 1);
            result.set(result.size() - 1, new Line(last.content(), eol));
        }
        List<Line> inserted = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            boolean lastInserted = i == contents.size() - 1;
            inserted.add(new Line(contents.get(i), keepMissingFinalEol && lastInserted ? "" : eol));
        }
        result.addAll(index, inserted);
        return result;
    }

    static int indentation(String content) {
        int i = 0;
        while (i < content.length() && (content.charAt(i) == ' ' || content.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** The last non-blank line in [from, to), or {@code from} when all are blank. */
    static int lastNonBlank(List<Line> lines, int from, int to) {
        for (int i = to - 1; i > from; i--) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return from;
    }
}
