package dev.coord.server;

import dev.coord.engine.CoordException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Entry point of {@code coord.jar}. Without arguments (or with {@code serve}) it runs the MCP stdio server of the
 * repository around the working directory; any other first argument is a command of the human command line
 * ({@link dev.coord.server.cli.Cli}). The arguments are checked here, by hand, so that the server path loads no class
 * of the command-line parser, and the command-line path none of the MCP SDK.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        if (args.length == 0 || args[0].equals("serve")) {
            // stdout is the JSON-RPC channel: keep it for the transport and send every stray print to stderr.
            OutputStream rpcOut = new FileOutputStream(FileDescriptor.out);
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
            Logging.configure(env);
            System.exit(run(args, env, rpcOut));
        }
        Logging.configureCli(env);
        if (args.length == 2 && args[0].equals("hook") && args[1].equals("pre-edit")) {
            System.exit(dev.coord.server.cli.CliEnv.preEditHook(env));
        }
        System.exit(dev.coord.server.cli.Cli.main(args, env));
    }

    static int run(String[] args, Map<String, String> env, OutputStream rpcOut) {
        if (args.length > 1) {
            return usage("serve takes no arguments; configure it with COORD_* environment variables");
        }
        return serve(env, rpcOut);
    }

    private static int serve(Map<String, String> env, OutputStream rpcOut) {
        CoordServer.Plan plan;
        try {
            plan = CoordServer.plan(env, Path.of("").toAbsolutePath());
        } catch (ConfigException | CoordException e) {
            return EngineStartup.report(e);
        }
        if (System.console() != null) {
            // a person started the server by hand: say what it is and what to do, on stderr (stdout is JSON-RPC)
            System.err.println(
                    "coord: this is the MCP server of " + plan.layout().root() + ". It speaks JSON-RPC on"
                            + " stdin/stdout and waits for a client: Claude Code starts it from .mcp.json (set one up with"
                            + " 'java -jar coord.jar init'). For people: 'java -jar coord.jar status', '--help'. Ctrl-D ends it.");
        }
        // the store opens and the session registers on their own thread (started by serve once stdin is read), while
        // the transport answers the client
        Clock clock = Clock.systemUTC();
        EngineStartup startup = new EngineStartup(() -> CoordServer.openAndStart(plan, env, clock));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> startup.ifOpen(
                                CoordServer.DRAIN, engine -> engine.session().close("terminated")),
                        "coord-exit"));
        try {
            return CoordServer.serve(plan, startup, System.in, rpcOut, version());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            startup.ifOpen(Duration.ZERO, CoordServer.Engine::close);
            return ExitCodes.UNAVAILABLE;
        }
    }

    private static int usage(String problem) {
        System.err.println("coord: " + problem);
        System.err.println(HELP);
        return ExitCodes.USAGE;
    }

    /** The version in the jar's manifest, {@code dev} when run from classes. */
    public static String version() {
        return Version.current();
    }

    static final String HELP = """
            usage: java -jar coord.jar [serve]     run the MCP stdio server for the repository around the working directory
                   java -jar coord.jar --help      the commands for people: status, locks, decisions, missions, cleanup, init, hook
            configuration (environment): CLAUDE_PROJECT_DIR, COORD_STATE_DIR, COORD_LOCK_TTL (30m), COORD_MAX_LOCK_TTL (24h),
              COORD_HEARTBEAT_INTERVAL (5s), COORD_STALE_AFTER (30s), COORD_MAX_WAIT (5m), COORD_FSYNC (decisions|all),
              COORD_ALLOW_NETWORK_FS (false), COORD_HOST_ID, COORD_LOG_LEVEL (info), COORD_LOG_FILE (stderr),
              COORD_MISSIONS_DIR (missions)""";
}
