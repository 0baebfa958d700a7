package dev.coord.engine.git;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Finds the git commands in a shell command line: through env assignments and the {@code sudo}, {@code command},
 * {@code env}, {@code nohup}, {@code time}, {@code exec}, {@code xargs} prefixes, inside {@code sh -c} / {@code bash -c}
 * strings, following {@code cd} (within the line) and {@code git -C}, and expanding git aliases through a resolver.
 */
final class GitCommands {
    private static final Set<String> PREFIXES =
            Set.of("sudo", "command", "builtin", "exec", "nohup", "time", "env", "xargs", "nice", "doas");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "zsh", "dash", "ksh");
    /** git's own options that take a separate value. */
    private static final Set<String> GIT_VALUE_OPTIONS =
            Set.of("-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env");

    private static final Set<String> SUDO_VALUE_OPTIONS = Set.of("-u", "-g", "-h", "-p", "-U", "-C", "-D", "-r", "-t");
    private static final int MAX_NESTING = 4;

    private GitCommands() {}

    /**
     * @param aliases the expansion of a git alias (the value of {@code alias.<name>}), or null when there is none;
     *     shell aliases ({@code !...}) are not followed
     * @throws ShellSyntaxException when the line cannot be parsed
     */
    public static List<GitInvocation> find(String line, UnaryOperator<String> aliases) throws ShellSyntaxException {
        List<GitInvocation> out = new ArrayList<>();
        find(line, aliases, out, 0);
        return out;
    }

    private static void find(String line, UnaryOperator<String> aliases, List<GitInvocation> out, int nesting)
            throws ShellSyntaxException {
        String cd = "";
        for (List<String> words : ShellParser.parse(line)) {
            int k = 0;
            while (k < words.size()) {
                String w = words.get(k);
                if (isAssignment(w)) {
                    k++;
                } else if (PREFIXES.contains(base(w))) {
                    String prefix = base(w);
                    k++;
                    while (k < words.size() && (words.get(k).startsWith("-") || isAssignment(words.get(k)))) {
                        boolean takesValue = prefix.equals("sudo") && SUDO_VALUE_OPTIONS.contains(words.get(k))
                                || prefix.equals("env") && words.get(k).equals("-u")
                                || prefix.equals("nice") && words.get(k).equals("-n");
                        k += takesValue ? 2 : 1;
                    }
                } else {
                    break;
                }
            }
            if (k >= words.size()) {
                continue;
            }
            String cmd = base(words.get(k));
            List<String> rest = words.subList(k + 1, words.size());
            if (cmd.equals("cd") || cmd.equals("pushd")) {
                String target = rest.isEmpty() ? "~" : rest.get(rest.size() - 1);
                cd = target.startsWith("/") || target.startsWith("~") ? target : join(cd, target);
            } else if (SHELLS.contains(cmd) && nesting < MAX_NESTING) {
                int c = rest.indexOf("-c");
                if (c < 0) {
                    for (int j = 0; j < rest.size(); j++) {
                        if (rest.get(j).matches("-[a-z]*c[a-z]*")) {
                            c = j;
                        }
                    }
                }
                if (c >= 0 && c + 1 < rest.size()) {
                    List<GitInvocation> inner = new ArrayList<>();
                    find(rest.get(c + 1), aliases, inner, nesting + 1);
                    for (GitInvocation g : inner) {
                        out.add(new GitInvocation(join(cd, g.dir()), g.subcommand(), g.args(), g.text()));
                    }
                }
            } else if (cmd.equals("git")) {
                GitInvocation g = git(cd, rest, aliases);
                if (g != null) {
                    out.add(g);
                }
            }
        }
    }

    private static GitInvocation git(String cd, List<String> args, UnaryOperator<String> aliases) {
        String dir = cd;
        int k = 0;
        while (k < args.size() && args.get(k).startsWith("-")) {
            String a = args.get(k);
            if (a.equals("-C") && k + 1 < args.size()) {
                String d = args.get(k + 1);
                dir = d.startsWith("/") || d.startsWith("~") ? d : join(dir, d);
            }
            k += GIT_VALUE_OPTIONS.contains(a) ? 2 : 1;
        }
        if (k >= args.size()) {
            return null;
        }
        String sub = args.get(k);
        List<String> rest = new ArrayList<>(args.subList(k + 1, args.size()));
        String alias = aliases.apply(sub);
        if (alias != null && !alias.isBlank() && !alias.strip().startsWith("!")) {
            try {
                List<List<String>> parsed = ShellParser.parse(alias);
                if (parsed.size() == 1 && !parsed.get(0).isEmpty()) {
                    List<String> expansion = parsed.get(0);
                    sub = expansion.get(0);
                    List<String> all = new ArrayList<>(expansion.subList(1, expansion.size()));
                    all.addAll(rest);
                    rest = all;
                }
            } catch (ShellSyntaxException e) {
                // an alias we cannot read: judge the command as written
            }
        }
        return new GitInvocation(
                dir, sub, rest, "git " + String.join(" ", args).replace(ShellParser.SUBSTITUTION, "$(...)"));
    }

    private static String join(String dir, String sub) {
        if (sub.isEmpty() || sub.equals(".")) {
            return dir;
        }
        if (sub.startsWith("/") || dir.isEmpty()) {
            return sub;
        }
        return dir + "/" + sub;
    }

    private static String base(String w) {
        return w.substring(w.lastIndexOf('/') + 1);
    }

    private static boolean isAssignment(String w) {
        int eq = w.indexOf('=');
        return eq > 0 && w.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*");
    }
}
