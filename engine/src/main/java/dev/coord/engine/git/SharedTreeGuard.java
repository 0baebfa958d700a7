package dev.coord.engine.git;

import dev.coord.engine.model.Instance;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The Bash guard for worktrees several sessions share: when a command runs a git command that acts on the whole
 * worktree or its shared state ({@link TreeAction}) in a worktree where OTHER live sessions work, it answers the
 * reason, naming them and giving the safe form. A command it cannot parse, or one in a worktree of its own, is
 * allowed (empty).
 */
public final class SharedTreeGuard {
    private static final int MAX_NAMED = 3;

    private SharedTreeGuard() {}

    /**
     * @param command the shell command line (Claude Code's {@code tool_input.command})
     * @param cwd the shell's working directory
     * @param isCaller whether a live instance is the calling session (same Claude Code session id)
     * @param live the live instances
     * @param aliases git alias expansions ({@link GitCommands#find})
     */
    public static Optional<String> check(
            String command,
            Path cwd,
            java.util.function.Predicate<Instance> isCaller,
            List<Instance> live,
            UnaryOperator<String> aliases) {
        Objects.requireNonNull(cwd, "cwd");
        if (command == null || command.isBlank()) {
            return Optional.empty();
        }
        List<GitInvocation> gits;
        try {
            gits = GitCommands.find(command, aliases);
        } catch (ShellSyntaxException e) {
            return Optional.empty();
        }
        List<String> reasons = new ArrayList<>();
        for (GitInvocation g : gits) {
            Path dir = resolve(cwd, g.dir());
            if (dir == null) {
                continue;
            }
            Optional<TreeAction> action = TreeAction.of(g, p -> isPath(dir, p));
            if (action.isEmpty()) {
                continue;
            }
            String tree = worktreeOf(dir, live);
            if (tree == null) {
                continue;
            }
            List<Instance> others = new ArrayList<>();
            for (Instance i : live) {
                if (tree.equals(i.worktree()) && !isCaller.test(i)) {
                    others.add(i);
                }
            }
            if (others.isEmpty()) {
                continue;
            }
            reasons.add("`" + clip(g.text()) + "` " + action.get().what() + ": " + names(others)
                    + (others.size() == 1 ? " works" : " work") + " in this worktree (" + tree + ") too. Instead, "
                    + action.get().instead() + ".");
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", reasons));
    }

    private static Path resolve(Path cwd, String dir) {
        try {
            if (dir.isEmpty()) {
                return cwd.normalize();
            }
            if (dir.startsWith("~")) {
                return Path.of(System.getProperty("user.home") + dir.substring(1))
                        .normalize();
            }
            return cwd.resolve(dir).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean isPath(Path dir, String word) {
        if (word.contains(ShellParser.SUBSTITUTION) || word.contains("\0")) {
            return false;
        }
        try {
            return Files.exists(dir.resolve(word));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The worktree of the live instances that contains {@code dir} (the deepest one), or null. */
    private static String worktreeOf(Path dir, List<Instance> live) {
        String best = null;
        for (Instance i : live) {
            if (i.worktree() == null) {
                continue;
            }
            try {
                Path wt = Path.of(i.worktree());
                if (dir.startsWith(wt)
                        && (best == null || wt.getNameCount() > Path.of(best).getNameCount())) {
                    best = i.worktree();
                }
            } catch (InvalidPathException e) {
                // not a path of this system
            }
        }
        return best;
    }

    private static String names(List<Instance> others) {
        List<String> names = new ArrayList<>();
        for (Instance i : others.subList(0, Math.min(MAX_NAMED, others.size()))) {
            names.add(i.id() + (i.task() == null ? "" : " (" + clip(i.task()) + ")"));
        }
        if (others.size() > MAX_NAMED) {
            names.add((others.size() - MAX_NAMED) + " more");
        }
        return String.join(", ", names);
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
