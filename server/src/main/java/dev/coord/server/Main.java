package dev.coord.server;

import dev.coord.engine.CoordException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Entry point of {@code coord.jar}. Without arguments (or with {@code serve}) it runs the MCP stdio server of the
 * repository around the working directory.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // stdout is the JSON-RPC channel: keep it for the transport and send every stray print to stderr.
        OutputStream rpcOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        Map<String, String> env = System.getenv();
        Logging.configure(env);
        System.exit(run(args, env, rpcOut));
    }

    static int run(String[] args, Map<String, String> env, OutputStream rpcOut) {
        String command = args.length == 0 ? "serve" : args[0];
        switch (command) {
            case "serve":
                if (args.length > 1) {
                    return usage("serve takes no arguments; configure it with COORD_* environment variables");
                }
                return serve(env, rpcOut);
            case "--version":
            case "version":
                System.err.println("coord " + version());
                return ExitCodes.SUCCESS;
            case "--help":
            case "-h":
            case "help":
                System.err.println(HELP);
                return ExitCodes.SUCCESS;
            default:
                return usage("unknown command \"" + command + "\"");
        }
    }

    private static int serve(Map<String, String> env, OutputStream rpcOut) {
        CoordServer.Engine engine;
        try {
            engine = CoordServer.open(env, Path.of("").toAbsolutePath(), Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println("coord: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (CoordException e) {
            System.err.println("coord: " + e.code() + ": " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> engine.session().close("terminated"), "coord-exit"));
        try {
            return CoordServer.serve(engine, System.in, rpcOut, version());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engine.close();
            return ExitCodes.UNAVAILABLE;
        }
    }

    private static int usage(String problem) {
        System.err.println("coord: " + problem);
        System.err.println(HELP);
        return ExitCodes.USAGE;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final String HELP = """
            usage: java -jar coord.jar [serve]     run the MCP stdio server for the repository around the working directory
                   java -jar coord.jar --version
            configuration (environment): CLAUDE_PROJECT_DIR, COORD_STATE_DIR, COORD_LOCK_TTL (30m), COORD_MAX_LOCK_TTL (24h),
              COORD_HEARTBEAT_INTERVAL (5s), COORD_STALE_AFTER (30s), COORD_MAX_WAIT (5m), COORD_FSYNC (decisions|all),
              COORD_ALLOW_NETWORK_FS (false), COORD_HOST_ID, COORD_LOG_LEVEL (info), COORD_LOG_FILE (stderr),
              COORD_MISSIONS_DIR (missions)""";
}
