package dev.coord.server.cli;

import dev.coord.engine.store.CoordStore;
import dev.coord.server.ExitCodes;
import dev.coord.server.dashboard.DashboardServer;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coord dashboard [--port N] [--open]}: serves the live dashboard of this repository on 127.0.0.1 until
 * interrupted. The first line on stdout is the address to open, with this run's token.
 */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a live web dashboard of this repository on 127.0.0.1 until interrupted.",
            "The first line printed is the address to open; it carries this run's access token."
        })
final class DashboardCommand implements Callable<Integer> {
    /** How often the state is read while a page is connected. */
    static final long POLL_MILLIS = 300;

    private final CliEnv ctx;

    @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (default: any free port).")
    int port;

    @Option(names = "--open", description = "Open the address in the default browser.")
    boolean open;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    DashboardCommand(CliEnv ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port takes 0 to 65535, got " + port);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (CoordStore store = ctx.openStore();
                DashboardServer server = DashboardServer.start(new DashboardData(ctx, store), port, POLL_MILLIS)) {
            ctx.out().println(server.url());
            ctx.out().flush();
            ctx.err()
                    .println("coord dashboard for " + ctx.layout().root() + " (" + store.describe()
                            + "); stop it with Ctrl-C");
            if (open) {
                openBrowser(server.url());
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                ctx.err().println("coord dashboard stopped: " + server.pollStats());
                                stop.countDown();
                            },
                            "coord-dashboard-stop"));
            stop.await();
        }
        return ExitCodes.SUCCESS;
    }

    private void openBrowser(String url) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String[] cmd = os.contains("mac")
                ? new String[] {"open", url}
                : os.contains("win")
                        ? new String[] {"rundll32", "url.dll,FileProtocolHandler", url}
                        : new String[] {"xdg-open", url};
        try {
            new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            ctx.err()
                    .println("coord: cannot open a browser (" + cmd[0] + ": " + e.getMessage()
                            + "); open the address above");
        }
    }
}
