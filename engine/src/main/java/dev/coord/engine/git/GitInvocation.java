package dev.coord.engine.git;

import java.util.List;

/**
 * One {@code git} command found in a shell command line.
 *
 * @param dir the directory it acts on, relative to the shell's working directory or absolute ({@code cd} before
 *     it and {@code git -C}); empty for the working directory itself
 * @param subcommand the git command ({@code stash}, {@code checkout}, ...), after alias expansion
 * @param args its arguments
 * @param text the command as written, for messages
 */
record GitInvocation(String dir, String subcommand, List<String> args, String text) {
    public GitInvocation {
        args = List.copyOf(args);
    }
}
