package dev.coord.engine.service;

/**
 * Message text made safe to keep and to show a model: control characters (but line breaks and tabs) removed, line
 * breaks normalized, surrounding blank space stripped. Nothing in a message is ever executed; this only keeps a
 * message from faking terminal output or hiding text.
 */
public final class MessageText {
    private MessageText() {}

    /** The text without control characters other than {@code \n} and {@code \t}, {@code \r\n} as {@code \n}. */
    public static String clean(String text) {
        String s = text.replace("\r\n", "\n");
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean control = Character.getType(cp) == Character.CONTROL
                    || Character.getType(cp) == Character.FORMAT && cp != 0x200D
                    || cp == 0x2028
                    || cp == 0x2029;
            if (!control || cp == '\n' || cp == '\t') {
                out.appendCodePoint(cp);
            }
        });
        return out.toString().strip();
    }

    /** At most {@code max} characters of the text, on one line, with {@code ...} when cut. */
    public static String clip(String text, int max) {
        String one = text.replace('\n', ' ').replace('\t', ' ');
        return one.length() <= max ? one : one.substring(0, Math.max(0, max - 3)) + "...";
    }
}
