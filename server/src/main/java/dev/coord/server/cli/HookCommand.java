package dev.coord.server.cli;

import dev.coord.server.ExitCodes;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code coord hook pre-edit | pre-commit}: the hooks {@code coord init --hooks} installs. */
@Command(
        name = "hook",
        mixinStandardHelpOptions = true,
        description = "Hooks for Claude Code (pre-edit) and git (pre-commit, pre-push).",
        subcommands = {HookCommand.PreEdit.class, HookCommand.PreCommit.class, HookCommand.PrePush.class})
final class HookCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a hook: pre-edit, pre-commit or pre-push");
    }

    @Command(
            name = "pre-edit",
            mixinStandardHelpOptions = true,
            description = {
                "Claude Code PreToolUse hook (Write|Edit|MultiEdit|NotebookEdit); reads the hook JSON on stdin.",
                "COORD_ENFORCE=warn (default) warns, deny blocks, off does nothing, when another live session"
                        + " holds a lock on the file."
            })
    static final class PreEdit implements Callable<Integer> {
        private final CliEnv ctx;

        PreEdit(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            return new PreEditHook(ctx).run();
        }
    }

    @Command(
            name = "pre-commit",
            mixinStandardHelpOptions = true,
            description = {
                "git pre-commit hook: refuses (exit 1) a commit of staged files exclusively locked by a live session,",
                "unless COORD_SESSION_ID names the holder."
            })
    static final class PreCommit implements Callable<Integer> {
        private final CliEnv ctx;

        PreCommit(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            try {
                return new PreCommitHook(ctx).run();
            } catch (IOException e) {
                ctx.err().println("coord hook pre-commit: " + e.getMessage());
                return ExitCodes.UNAVAILABLE;
            }
        }
    }

    @Command(
            name = "pre-push",
            mixinStandardHelpOptions = true,
            description = {
                "git pre-push hook: warns on stderr (never refuses) when a pushed commit would conflict with the",
                "branch another live session has checked out (git merge-tree, git 2.38+)."
            })
    static final class PrePush implements Callable<Integer> {
        private final CliEnv ctx;

        @CommandLine.Parameters(arity = "0..2", description = "remote name and URL, as git passes them")
        List<String> remote;

        PrePush(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            try {
                return new PrePushHook(ctx).run();
            } catch (IOException | RuntimeException e) {
                ctx.err().println("coord hook pre-push: " + e.getMessage());
                return ExitCodes.SUCCESS;
            }
        }
    }
}
