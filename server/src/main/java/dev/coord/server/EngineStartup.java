package dev.coord.server;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.tools.Coordinator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of this server process, opened on a thread of its own ({@code coord-open}: the store, this session's
 * registration, the mission files), started just before the transport reads stdin, so that {@code initialize} and
 * {@code tools/list}, which need none of it, are answered meanwhile. (Started before the SDK server was built, it
 * competed with that build and the JIT compiler for the 2 cores: {@code initialize} came 26 ms later in A/B runs under
 * load.) Every tool and prompt call gets the engine through {@link #coordinator()}, which waits for it (at most {@link
 * #CALL_WAIT}); an open that fails makes the process exit with the code of the failure ({@link #report}), as a failure
 * before serving does.
 */
final class EngineStartup {
    private static final Logger LOG = LoggerFactory.getLogger(EngineStartup.class);

    /** How long a call waits for the state to be open before it is answered with an error. */
    static final Duration CALL_WAIT = Duration.ofSeconds(30);

    private final CompletableFuture<CoordServer.Engine> engine = new CompletableFuture<>();
    private final Thread opener;
    private volatile boolean started;

    /** An engine that {@link #start} opens on its own thread. */
    EngineStartup(Supplier<CoordServer.Engine> open) {
        opener = new Thread(
                () -> {
                    try {
                        engine.complete(open.get());
                    } catch (Throwable e) { // every failure must reach the waiting calls and the main thread
                        engine.completeExceptionally(e);
                    }
                },
                "coord-open");
        opener.setDaemon(true);
    }

    /** Starts opening the engine; once only. */
    void start() {
        started = true;
        opener.start();
    }

    /**
     * The tools' view of the engine, once open. Waits for it at most {@link #CALL_WAIT}.
     *
     * @throws CoordException STORE_UNAVAILABLE when the engine could not be opened, or is not open in time
     */
    Coordinator coordinator() {
        return await(CALL_WAIT).coordinator();
    }

    private CoordServer.Engine await(Duration max) {
        try {
            return engine.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "coord could not start (" + reason(e.getCause()) + "), so the server is exiting. Tell the user;"
                            + " carry on without coord.",
                    e.getCause());
        } catch (TimeoutException e) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "coord is still opening its shared state after " + max.toSeconds() + " s (another process may"
                            + " be holding its lock); retry in a moment.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "interrupted while coord opened its state");
        }
    }

    private static String reason(Throwable e) {
        if (e instanceof CoordException ce) {
            return ce.code() + ": " + ce.getMessage();
        }
        return e instanceof ConfigException ? e.getMessage() : String.valueOf(e);
    }

    /** Runs {@code action} with the engine once it is open (at once when it is); never when the open fails. */
    void whenOpen(Consumer<CoordServer.Engine> action) {
        engine.thenAccept(action).exceptionally(e -> {
            if (!engine.isCompletedExceptionally()) {
                LOG.warn("after the engine opened: {}", e.toString());
            }
            return null;
        });
    }

    /** Runs {@code action} once the open has failed; never when it succeeds. */
    void whenFailed(Runnable action) {
        engine.whenComplete((e, failure) -> {
            if (failure != null) {
                action.run();
            }
        });
    }

    /**
     * Waits at most {@code max} for the open to end either way, then runs {@code action} with the engine if it is
     * open. For the end of stdin and the shutdown hook: a session that is still opening is closed once it is open.
     */
    void ifOpen(Duration max, Consumer<CoordServer.Engine> action) {
        if (!started) {
            return; // the server failed before it started the open: nothing to wait for
        }
        try {
            engine.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // failed (nothing to close) or still opening (the process exits anyway)
        }
        if (engine.isDone() && !engine.isCompletedExceptionally()) {
            action.accept(engine.join());
        }
    }

    /** Why the open failed, or null when it succeeded or has not ended. */
    Throwable failure() {
        if (!engine.isCompletedExceptionally()) {
            return null;
        }
        try {
            engine.join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    /**
     * Says on stderr why the server cannot start and gives the exit code: 2 for bad configuration (a setting, a
     * path), 3 for a state that cannot be opened.
     */
    static int report(Throwable e) {
        if (e instanceof ConfigException) {
            System.err.println("coord: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof CoordException ce) {
            System.err.println("coord: " + ce.code() + ": " + ce.getMessage());
            // a bad path setting is bad configuration (2), as on the command line; the rest cannot start (3)
            return ce.code() == ErrorCode.INVALID_PATH || ce.code() == ErrorCode.INVALID_ARGUMENT
                    ? ExitCodes.USAGE
                    : ExitCodes.UNAVAILABLE;
        }
        LOG.error("coord could not start", e);
        System.err.println("coord: could not start: " + e);
        return ExitCodes.UNAVAILABLE;
    }
}
