package dev.coord.server.cli;

/** ANSI styles, or plain text when colour is off (stdout is not a terminal, or NO_COLOR is set). */
final class Ansi {
    private final boolean on;

    Ansi(boolean on) {
        this.on = on;
    }

    String bold(String s) {
        return style("1", s);
    }

    String dim(String s) {
        return style("2", s);
    }

    String red(String s) {
        return style("31", s);
    }

    String green(String s) {
        return style("32", s);
    }

    String yellow(String s) {
        return style("33", s);
    }

    String cyan(String s) {
        return style("36", s);
    }

    private String style(String code, String s) {
        return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
