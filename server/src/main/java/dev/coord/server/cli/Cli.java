package dev.coord.server.cli;

import dev.coord.engine.CoordException;
import dev.coord.server.ConfigException;
import dev.coord.server.ExitCodes;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line for people and scripts: {@code status}, {@code locks}, {@code decisions}, {@code missions}, {@code cleanup},
 * {@code send}, {@code inbox}, {@code init}, {@code hook}, {@code dashboard}. Output goes to stdout, errors to stderr; exit codes are those of {@link ExitCodes}.
 */
@Command(
        name = "coord",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Coordinates several Claude Code sessions on one repository.",
            "Without a command (or with 'serve') coord.jar runs the MCP stdio server."
        },
        subcommands = {
            StatusCommand.class,
            LocksCommand.class,
            DecisionsCommand.class,
            MissionsCommand.class,
            CleanupCommand.class,
            ConflictsCommand.class,
            SendCommand.class,
            InboxCommand.class,
            InitCommand.class,
            InstallCommand.class,
            HookCommand.class,
            DashboardCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure (not found, commit refused, nothing done)",
            "2:usage error or bad configuration",
            "3:state unavailable",
            "10:lock held by a live instance",
            "11:lock expired",
            "12:conflict",
            "13:stale instance (holder dead)"
        })
public final class Cli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a command, e.g. status");
    }

    /** Runs a command with the process's streams; colour only on a terminal without {@code NO_COLOR}. */
    public static int main(String[] args, Map<String, String> env) {
        return run(args, CliEnv.system(env));
    }

    /** Runs a command in the given context. */
    public static int run(String[] args, CliEnv ctx) {
        CommandLine cl = new CommandLine(new Cli(), new Factory(ctx));
        cl.setOut(new PrintWriter(ctx.out(), true));
        cl.setErr(new PrintWriter(ctx.err(), true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ConfigException) {
                ctx.err().println("coord: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            if (e instanceof CoordException ce) {
                ctx.err().println("coord: " + ce.code() + ": " + ce.getMessage());
                return exitCode(ce);
            }
            throw e;
        });
        return cl.execute(args);
    }

    static int exitCode(CoordException e) {
        return ExitCodes.of(e.code());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"coord " + dev.coord.server.Version.current()};
        }
    }

    /** Builds commands, handing the context to those whose constructor takes it. */
    private static final class Factory implements CommandLine.IFactory {
        private final CliEnv ctx;

        Factory(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            for (Constructor<?> c : cls.getDeclaredConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliEnv.class) {
                    c.setAccessible(true);
                    return cls.cast(c.newInstance(ctx));
                }
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
