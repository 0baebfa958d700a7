package dev.coord.engine.git;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which git commands act on a whole worktree or its shared state (index, stash, HEAD), and what to do instead.
 *
 * @param what what the command does to the others, for the reason
 * @param instead the safe form
 */
record TreeAction(String what, String instead) {
    private static final String OWN_WORKTREE = "use a worktree of your own (git worktree add ../<name> -b <branch>)";
    private static final Set<String> WHOLE_TREE = Set.of(".", "./", ":/", ":", "*", ":/*", "-A", "--all");
    /** commit options whose value follows in the same cluster or the next word. */
    private static final String COMMIT_VALUE_LETTERS = "mFcCtu";

    /**
     * @param isPath whether a word names an existing file or directory (relative to the command's directory): it
     *     tells {@code git checkout main} from {@code git checkout README.md}
     */
    public static Optional<TreeAction> of(GitInvocation g, Predicate<String> isPath) {
        List<String> a = g.args();
        if (a.contains("-h") || a.contains("--help")) {
            return Optional.empty();
        }
        switch (g.subcommand()) {
            case "stash": {
                String sub = a.isEmpty() ? "push" : a.get(0);
                if (sub.equals("list") || sub.equals("show")) {
                    return Optional.empty();
                }
                return Optional.of(new TreeAction(
                        "stashes the uncommitted changes of the whole worktree, theirs included, into the one stash"
                                + " they share",
                        "commit only your own files (git commit -m <msg> -- <your paths>), or " + OWN_WORKTREE));
            }
            case "switch":
                return Optional.of(branchChange());
            case "checkout": {
                int dd = a.indexOf("--");
                List<String> paths = dd >= 0 ? a.subList(dd + 1, a.size()) : List.of();
                List<String> before = dd >= 0 ? a.subList(0, dd) : a;
                if (paths.stream().anyMatch(WHOLE_TREE::contains)) {
                    return Optional.of(discardAll());
                }
                if (dd >= 0 && before.stream().noneMatch(o -> o.startsWith("-"))) {
                    return Optional.empty(); // checkout [<commit>] -- <paths>
                }
                for (String o : before) {
                    if (o.equals("-b") || o.equals("-B") || o.equals("--orphan") || o.equals("--detach")) {
                        return Optional.of(branchChange());
                    }
                }
                List<String> operands =
                        before.stream().filter(o -> !o.startsWith("-")).toList();
                if (operands.stream().anyMatch(WHOLE_TREE::contains)) {
                    return Optional.of(discardAll());
                }
                if (before.contains("-")) {
                    return Optional.of(branchChange());
                }
                if (operands.isEmpty() || operands.stream().allMatch(isPath)) {
                    return Optional.empty();
                }
                return Optional.of(branchChange());
            }
            case "reset": {
                if (a.contains("--hard") || a.contains("--keep") || a.contains("--merge")) {
                    return Optional.of(new TreeAction(
                            "resets the whole worktree and index, throwing away their uncommitted changes",
                            "discard only your own changes (git restore -- <your paths>), or " + OWN_WORKTREE));
                }
                int dd = a.indexOf("--");
                List<String> operands = (dd >= 0 ? a.subList(0, dd) : a)
                        .stream().filter(o -> !o.startsWith("-")).toList();
                if (dd >= 0 || (!operands.isEmpty() && operands.stream().allMatch(isPath))) {
                    return Optional.empty(); // reset -- <paths>: unstages those paths
                }
                if (operands.isEmpty()) {
                    return Optional.of(new TreeAction(
                            "unstages everything in the index they share, their staged changes included",
                            "unstage only your own files (git restore --staged -- <your paths>)"));
                }
                return Optional.of(new TreeAction(
                        "moves the branch they have checked out too", "ask them first, or " + OWN_WORKTREE));
            }
            case "clean": {
                boolean force =
                        a.stream().anyMatch(o -> o.equals("--force") || (o.matches("-[a-zA-Z]+") && o.contains("f")));
                boolean dry =
                        a.stream().anyMatch(o -> o.equals("--dry-run") || (o.matches("-[a-zA-Z]+") && o.contains("n")));
                List<String> paths = a.stream().filter(o -> !o.startsWith("-")).toList();
                if (!force || dry || (!paths.isEmpty() && paths.stream().noneMatch(WHOLE_TREE::contains))) {
                    return Optional.empty();
                }
                return Optional.of(new TreeAction(
                        "deletes the untracked files of the whole worktree, their new files included",
                        "delete only your own files (git clean -f -- <your paths>, or rm)"));
            }
            case "add": {
                boolean all = a.stream()
                        .anyMatch(o -> WHOLE_TREE.contains(o)
                                || o.equals("-u")
                                || o.equals("--update")
                                || o.equals("--no-ignore-removal")
                                || (o.matches("-[a-zA-Z]+") && (o.contains("A") || o.contains("u"))));
                if (!all) {
                    return Optional.empty();
                }
                return Optional.of(new TreeAction(
                        "stages the changes of the whole worktree, theirs included, for your next commit",
                        "stage only your own files (git add <your files>)"));
            }
            case "commit": {
                boolean all = false;
                for (String o : a) {
                    if (o.equals("--")) {
                        break;
                    }
                    if (o.equals("--all")) {
                        all = true;
                    } else if (o.startsWith("-") && !o.startsWith("--")) {
                        for (char c : o.substring(1).toCharArray()) {
                            if (c == 'a') {
                                all = true;
                            }
                            if (COMMIT_VALUE_LETTERS.indexOf(c) >= 0) {
                                break;
                            }
                        }
                    }
                }
                if (!all) {
                    return Optional.empty();
                }
                return Optional.of(new TreeAction(
                        "commits every modified file of the worktree, theirs included",
                        "commit only your own files (git commit -m <msg> -- <your paths>)"));
            }
            case "restore": {
                if (a.stream().anyMatch(WHOLE_TREE::contains)) {
                    return Optional.of(discardAll());
                }
                return Optional.empty();
            }
            case "rebase":
                return Optional.of(new TreeAction(
                        "rewrites the branch they have checked out and needs a clean worktree",
                        "let them commit first and agree on it, or " + OWN_WORKTREE));
            case "pull":
                return Optional.of(new TreeAction(
                        "merges or rebases into the branch and worktree they are working in",
                        "fetch only (git fetch) and merge when they have committed, or " + OWN_WORKTREE));
            default:
                return Optional.empty();
        }
    }

    private static TreeAction branchChange() {
        return new TreeAction(
                "changes the branch of the worktree they work in, under their uncommitted changes", OWN_WORKTREE);
    }

    private static TreeAction discardAll() {
        return new TreeAction(
                "throws away the uncommitted changes of the whole worktree, theirs included",
                "discard only your own changes (git restore -- <your paths>)");
    }
}
