package dev.coord.engine.git;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a POSIX shell command line into its simple commands, each a list of words with quotes removed: lists and
 * pipelines ({@code && || ; | &} and newlines), subshells and groups, command substitutions ({@code $(...)} and
 * backquotes, whose commands are listed too), single and double quotes, backslashes, comments, redirections (dropped
 * with their targets) and here-documents (their bodies skipped). It does not expand variables or globs: a word that
 * holds an expansion keeps it as text. Anything it cannot follow (an unclosed quote, an unbalanced parenthesis) is a
 * {@link ShellSyntaxException}.
 */
final class ShellParser {
    /** Stands for the output of a command substitution inside a word. */
    public static final String SUBSTITUTION = "\u0000$()";
    /** Longest command line parsed; longer ones are unparseable (the guard then allows them). */
    public static final int MAX_LENGTH = 64 * 1024;

    private final String s;
    private int i;
    private int depth;
    private final List<List<String>> commands = new ArrayList<>();
    private final Deque<String[]> heredocs = new ArrayDeque<>();

    private ShellParser(String s) {
        this.s = s;
    }

    /** The simple commands of {@code line}, in order; substitutions come before the command that uses them. */
    public static List<List<String>> parse(String line) throws ShellSyntaxException {
        if (line.length() > MAX_LENGTH) {
            throw new ShellSyntaxException("command longer than " + MAX_LENGTH + " characters");
        }
        ShellParser p = new ShellParser(line);
        p.list(false);
        if (p.depth != 0) {
            throw new ShellSyntaxException("unclosed parenthesis");
        }
        return p.commands;
    }

    /** Parses commands until the end, or, inside a substitution, until its closing parenthesis (consumed). */
    private void list(boolean inSubstitution) throws ShellSyntaxException {
        int depthAtStart = depth;
        List<String> cmd = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (i >= s.length()) {
                if (inSubstitution) {
                    throw new ShellSyntaxException("unclosed $(");
                }
                flush(cmd);
                return;
            }
            char c = s.charAt(i);
            if (c == '\n') {
                i++;
                flush(cmd);
                cmd = new ArrayList<>();
                readHeredocBodies();
            } else if (c == '#') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '&' && peek(1) == '>') {
                i += peek(2) == '>' ? 3 : 2;
                redirectTarget();
            } else if (c == ';' || c == '&' || c == '|') {
                i++;
                if (i < s.length() && (s.charAt(i) == c || (c == '|' && s.charAt(i) == '&'))) {
                    i++;
                }
                flush(cmd);
                cmd = new ArrayList<>();
            } else if (c == '(') {
                i++;
                depth++;
                flush(cmd);
                cmd = new ArrayList<>();
            } else if (c == ')') {
                i++;
                flush(cmd);
                cmd = new ArrayList<>();
                if (depth == depthAtStart) {
                    if (inSubstitution) {
                        return;
                    }
                    throw new ShellSyntaxException("unbalanced )");
                }
                depth--;
            } else if (isRedirect()) {
                redirect();
            } else {
                String w = word();
                if (cmd.isEmpty() && (w.equals("{") || w.equals("}") || w.equals("!"))) {
                    continue;
                }
                if (w.equals("}") && !cmd.isEmpty()) {
                    flush(cmd);
                    cmd = new ArrayList<>();
                    continue;
                }
                cmd.add(w);
            }
        }
    }

    private void flush(List<String> cmd) {
        if (!cmd.isEmpty()) {
            commands.add(List.copyOf(cmd));
            cmd.clear();
        }
    }

    private char peek(int ahead) {
        return i + ahead < s.length() ? s.charAt(i + ahead) : '\0';
    }

    private void skipBlanks() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '\\' && peek(1) == '\n') {
                i += 2;
            } else {
                return;
            }
        }
    }

    private boolean isRedirect() {
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
        }
        return j < s.length() && (s.charAt(j) == '<' || s.charAt(j) == '>');
    }

    private void redirect() throws ShellSyntaxException {
        while (Character.isDigit(s.charAt(i))) {
            i++;
        }
        char c = s.charAt(i++);
        if (c == '<' && peek(0) == '<') {
            i++;
            if (peek(0) == '<') {
                i++;
                redirectTarget(); // here-string
                return;
            }
            boolean strip = peek(0) == '-';
            if (strip) {
                i++;
            }
            skipBlanks();
            String delimiter = word().replace(SUBSTITUTION, "");
            heredocs.add(new String[] {delimiter, strip ? "-" : ""});
            return;
        }
        if (peek(0) == '>' || peek(0) == '&' || peek(0) == '|' || (c == '<' && peek(0) == '>')) {
            i++;
        }
        redirectTarget();
    }

    private void redirectTarget() throws ShellSyntaxException {
        skipBlanks();
        if (i < s.length() && "\n;&|()".indexOf(s.charAt(i)) < 0) {
            word();
        }
    }

    private void readHeredocBodies() {
        while (!heredocs.isEmpty()) {
            String[] h = heredocs.poll();
            while (i < s.length()) {
                int end = s.indexOf('\n', i);
                String line = end < 0 ? s.substring(i) : s.substring(i, end);
                i = end < 0 ? s.length() : end + 1;
                if ((h[1].isEmpty() ? line : line.replaceFirst("^\t+", "")).equals(h[0])) {
                    break;
                }
            }
        }
    }

    private String word() throws ShellSyntaxException {
        StringBuilder w = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || ";&|()<>".indexOf(c) >= 0) {
                break;
            }
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new ShellSyntaxException("unclosed '");
                }
                w.append(s, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                doubleQuoted(w);
            } else if (c == '\\') {
                if (i + 1 < s.length()) {
                    if (s.charAt(i + 1) != '\n') {
                        w.append(s.charAt(i + 1));
                    }
                    i += 2;
                } else {
                    i++;
                }
            } else if (c == '$' && peek(1) == '(') {
                substitution(w);
            } else if (c == '`') {
                backquote(w);
            } else {
                w.append(c);
                i++;
            }
        }
        return w.toString();
    }

    private void doubleQuoted(StringBuilder w) throws ShellSyntaxException {
        while (true) {
            if (i >= s.length()) {
                throw new ShellSyntaxException("unclosed \"");
            }
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return;
            }
            if (c == '\\' && i + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(i + 1)) >= 0) {
                if (s.charAt(i + 1) != '\n') {
                    w.append(s.charAt(i + 1));
                }
                i += 2;
            } else if (c == '$' && peek(1) == '(') {
                substitution(w);
            } else if (c == '`') {
                backquote(w);
            } else {
                w.append(c);
                i++;
            }
        }
    }

    private void substitution(StringBuilder w) throws ShellSyntaxException {
        if (peek(2) == '(') {
            // $(( arithmetic )): no commands inside
            int level = 0;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '(') {
                    level++;
                } else if (c == ')' && --level == 0) {
                    w.append(SUBSTITUTION);
                    return;
                }
            }
            throw new ShellSyntaxException("unclosed $((");
        }
        i += 2;
        int savedDepth = depth;
        list(true);
        depth = savedDepth;
        w.append(SUBSTITUTION);
    }

    private void backquote(StringBuilder w) throws ShellSyntaxException {
        int end = i + 1;
        while (end < s.length() && s.charAt(end) != '`') {
            end += s.charAt(end) == '\\' ? 2 : 1;
        }
        if (end >= s.length()) {
            throw new ShellSyntaxException("unclosed `");
        }
        commands.addAll(parse(s.substring(i + 1, end).replace("\\`", "`")));
        i = end + 1;
        w.append(SUBSTITUTION);
    }
}
