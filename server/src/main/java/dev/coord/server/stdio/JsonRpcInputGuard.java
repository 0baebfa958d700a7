package dev.coord.server.stdio;

import dev.coord.server.stdio.BoundedLineReader.Line;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.NullNode;

/**
 * Stands between the real stdin and the MCP SDK's stdio transport, which ends the whole session on one line it
 * cannot parse and says nothing when stdin ends.
 *
 * <p>One daemon thread reads stdin line by line ({@code '\n'} or {@code "\r\n"}, UTF-8) and passes the SDK, through
 * {@link #sdkInput()}, only lines it can take (see {@link JsonRpcLineCheck}), each followed by {@code '\n'}. Blank
 * lines are dropped; every other line is answered with a JSON-RPC error ({@code -32700} or {@code -32600}) written
 * through the {@link LineWriter}, and reading goes on. A line over the size limit is skipped without being held in
 * memory. At the end of stdin, or when reading it fails, {@code onEof} runs once, and only then does the SDK see
 * end of input.
 *
 * <p>{@code onEof} may run while tool calls are still in flight. Once the SDK sees end of input it closes its
 * session and drops responses not yet written; and when a request was still in flight (SDK 2.1.0) its two
 * non-daemon stdio executor threads stay alive, so the JVM does not exit on its own: the caller should wait with
 * {@link #awaitSdkEndOfInput()} and then exit explicitly.
 */
public final class JsonRpcInputGuard implements AutoCloseable {

    /** Default limit on one line of stdin, terminator excluded. */
    public static final int DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

    /**
     * Highest accepted limit: the SDK's transport ends the session on a line over 16 Mi chars (its default), and a
     * UTF-8 line has no more chars than bytes.
     */
    public static final int MAX_LINE_BYTES_CEILING = 16 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(JsonRpcInputGuard.class);
    private static final long QUEUED_BYTES = 8L * 1024 * 1024;

    private final InputStream stdin;
    private final LineWriter stdout;
    private final Runnable onEof;
    private final int maxLineBytes;
    private final JsonRpcLineCheck check = new JsonRpcLineCheck();
    private final LineQueueInputStream sdkInput = new LineQueueInputStream(QUEUED_BYTES);
    private final Thread reader;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private final AtomicLong requests = new AtomicLong();

    /** A guard with the {@link #DEFAULT_MAX_LINE_BYTES default line limit}. */
    public JsonRpcInputGuard(InputStream stdin, LineWriter stdout, Runnable onEof) {
        this(stdin, stdout, onEof, DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * @param stdin the real stdin; the guard reads it but never closes it
     * @param stdout where error responses go: the same writer the SDK's output stream comes from
     * @param onEof runs once on the reader thread when stdin ends or fails, before the SDK sees end of input;
     *     an exception from it is logged
     * @param maxLineBytes longest line passed on, terminator excluded; 1 to {@link #MAX_LINE_BYTES_CEILING}
     */
    public JsonRpcInputGuard(InputStream stdin, LineWriter stdout, Runnable onEof, int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_BYTES_CEILING) {
            throw new IllegalArgumentException(
                    "maxLineBytes must be 1 to " + MAX_LINE_BYTES_CEILING + ", was " + maxLineBytes);
        }
        this.stdin = Objects.requireNonNull(stdin, "stdin");
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.onEof = Objects.requireNonNull(onEof, "onEof");
        this.maxLineBytes = maxLineBytes;
        this.reader = new Thread(this::run, "coord-stdin-guard");
        this.reader.setDaemon(true);
    }

    /**
     * Tells the guard the server's tool names: a {@code tools/call} of any other name is answered with -32602 and the
     * list of valid names (the SDK's own answer names only the unknown tool). Call it before {@link #start()}.
     */
    public void knownTools(java.util.Collection<String> names) {
        check.knownTools(names);
    }

    /** How many requests with an id were passed to the SDK so far: each one gets exactly one response. */
    public long requestsDelivered() {
        return requests.get();
    }

    /** The stream to give the SDK's transport in place of stdin. */
    public InputStream sdkInput() {
        return sdkInput;
    }

    /**
     * Starts reading stdin on the guard's thread.
     *
     * @throws IllegalStateException if called twice
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        reader.start();
    }

    /**
     * Waits until the SDK has read every line passed to it and then end of input, which happens only after
     * {@code onEof} has returned (or after {@link #close()}).
     *
     * @return true if it has, false if {@code timeout} passed first
     */
    public boolean awaitSdkEndOfInput(Duration timeout) throws InterruptedException {
        return sdkInput.awaitReaderSawEnd(timeout);
    }

    /** Like {@link #awaitSdkEndOfInput(Duration)}, without a time limit. */
    public void awaitSdkEndOfInput() throws InterruptedException {
        sdkInput.awaitReaderSawEnd();
    }

    /**
     * Stops passing lines on: the SDK gets end of input after the lines already queued for it. Does not run
     * {@code onEof}, now or later, and does not close stdin. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        sdkInput.end();
        reader.interrupt();
    }

    private void run() {
        try {
            BoundedLineReader lines = new BoundedLineReader(stdin, maxLineBytes);
            for (Line line = lines.next(); line != null && !closed; line = lines.next()) {
                handle(line);
            }
            log.debug("End of stdin");
        } catch (IOException e) {
            if (!closed) {
                log.warn("Reading stdin failed; treating it as the end of input", e);
            }
        } catch (InterruptedException e) {
            log.debug("Stdin guard interrupted");
        } catch (RuntimeException | Error e) {
            log.error("Stdin guard failed; ending the input", e);
        } finally {
            endOfInput();
        }
    }

    private void handle(Line line) throws InterruptedException {
        Verdict verdict = line.isOversized()
                ? JsonRpcErrors.invalidRequest(NullNode.getInstance(), "message larger than " + maxLineBytes + " bytes")
                : check.check(line.content());
        if (verdict instanceof Verdict.Deliver deliver) {
            if (deliver.request()) {
                requests.incrementAndGet();
            }
            sdkInput.put(deliver.sdkLine());
        } else if (verdict instanceof Verdict.Reject reject) {
            log.warn("Rejected a {}-byte line on stdin: {} {}", line.length(), reject.code(), reject.message());
            reply(reject);
        } else {
            log.debug("Dropped a blank line on stdin");
        }
    }

    private void reply(Verdict.Reject reject) {
        try {
            stdout.writeLine(JsonRpcErrors.response(reject));
        } catch (IOException e) {
            log.warn("Could not write an error response to stdout", e);
        }
    }

    private void endOfInput() {
        if (!closed) {
            try {
                onEof.run();
            } catch (RuntimeException e) {
                log.error("onEof failed", e);
            }
        }
        sdkInput.end();
    }
}
