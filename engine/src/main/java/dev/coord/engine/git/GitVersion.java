package dev.coord.engine.git;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A git version, as far as coord cares: {@code git merge-tree --write-tree}, which predicts a merge's conflicts
 * without touching any worktree, needs 2.38.
 */
record GitVersion(int major, int minor) {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    /** Parses {@code git --version} output such as {@code git version 2.39.5}; unknown text is 0.0. */
    public static GitVersion parse(String text) {
        Matcher m = VERSION.matcher(text == null ? "" : text);
        if (!m.find()) {
            return new GitVersion(0, 0);
        }
        return new GitVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean predictsConflicts() {
        return major > 2 || (major == 2 && minor >= 38);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
