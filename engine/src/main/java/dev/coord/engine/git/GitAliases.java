package dev.coord.engine.git;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * git alias lookups for the Bash guard: {@code git config --get alias.<name>}, asked only for a subcommand that is
 * not one of git's own commands the guard knows, so a plain {@code git stash} costs no git process.
 */
public final class GitAliases {
    private static final Set<String> BUILT_IN = Set.of(
            "add",
            "am",
            "apply",
            "bisect",
            "blame",
            "branch",
            "checkout",
            "cherry-pick",
            "clean",
            "clone",
            "commit",
            "config",
            "diff",
            "fetch",
            "grep",
            "init",
            "log",
            "merge",
            "mv",
            "pull",
            "push",
            "rebase",
            "reflog",
            "remote",
            "reset",
            "restore",
            "revert",
            "rm",
            "show",
            "stash",
            "status",
            "switch",
            "tag",
            "worktree",
            "rev-parse",
            "ls-files",
            "describe",
            "shortlog",
            "cat-file",
            "merge-base",
            "merge-tree",
            "notes",
            "gc",
            "help",
            "version",
            "archive",
            "submodule",
            "sparse-checkout",
            "cherry",
            "format-patch",
            "range-diff");

    private GitAliases() {}

    /** A resolver running git in {@code dir}, with a short time limit; failures mean "no alias". */
    public static UnaryOperator<String> in(Path dir) {
        Git git = new Git("git", Duration.ofSeconds(2));
        return name -> {
            if (BUILT_IN.contains(name) || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
                return null;
            }
            try {
                Git.Result r = git.run(dir, "config", "--get", "alias." + name);
                return r.ok() ? r.out().strip() : null;
            } catch (IOException e) {
                return null;
            }
        };
    }
}
