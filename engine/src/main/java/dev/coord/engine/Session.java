package dev.coord.engine;

import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.store.CoordStore;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's registration: registered at start, kept alive by a background heartbeat whether or not the model
 * calls a tool, and removed (with all its locks) on close.
 */
public final class Session implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final CoordStore store;
    private final EngineSettings settings;
    private final Supplier<String> branch;
    private final AtomicReference<Instance> self;
    /** The branch the agent declared with register_instance, which the heartbeat must not overwrite; or null. */
    private volatile String declaredBranch;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object closeLock = new Object();
    private ScheduledExecutorService heartbeat;

    /**
     * @param initial this process's record (id, pid, host, worktree...)
     * @param branch re-reads the current git branch (it can change while the server runs)
     */
    public Session(CoordStore store, EngineSettings settings, Instance initial, Supplier<String> branch) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.self = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.branch = Objects.requireNonNull(branch, "branch");
    }

    /** Registers this process and starts its heartbeat. */
    public synchronized void start() {
        store.register(self.get());
        if (heartbeat == null) {
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "coord-heartbeat");
                t.setDaemon(true);
                return t;
            });
            long period = settings.heartbeatInterval().toMillis();
            heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One heartbeat now; failures are logged, never thrown (the next beat retries). Runs under this session's lock,
     * which {@link #close(String)} takes before it unregisters: a heartbeat landing after the unregister would
     * register the closed session again.
     */
    public synchronized void beat() {
        if (closed.get()) {
            return;
        }
        try {
            refreshBranch();
            store.heartbeat(self.get());
        } catch (RuntimeException e) {
            LOG.warn("heartbeat to {} failed: {}", store.describe(), e.getMessage());
        }
    }

    private void refreshBranch() {
        if (declaredBranch != null) {
            return;
        }
        String now = branch.get();
        // declaredBranch is read again inside: a register_instance running now sets it before it updates self
        self.updateAndGet(i ->
                declaredBranch != null || Objects.equals(i.branch(), now) ? i : i.withWork(i.task(), i.role(), now));
    }

    public EngineSettings settings() {
        return settings;
    }

    public Instance self() {
        return self.get();
    }

    public String id() {
        return self.get().id();
    }

    /**
     * Sets this session's task and role (and branch, if given; else the current git branch). A call replaces what the
     * previous one set: the task always, the role and branch when given. A declared branch stays until a later call
     * declares none; without one, the heartbeat follows the git branch of the worktree.
     *
     * @return the shared state right after, with the notices pending for this session
     */
    public Snapshot register(String task, String role, String branchOverride) {
        declaredBranch = branchOverride;
        String b = branchOverride != null ? branchOverride : branch.get();
        Instance updated = self.updateAndGet(i -> i.withWork(task, role == null ? i.role() : role, b));
        return store.register(updated);
    }

    /** Records the MCP client's name and version once the handshake told them. */
    public void noteClient(String name, String version) {
        self.updateAndGet(i -> Objects.equals(i.clientName(), name) && Objects.equals(i.clientVersion(), version)
                ? i
                : i.withClient(name, version));
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops the heartbeat, releases every lock of this process and unregisters it. Idempotent; a second caller (the
     * end of stdin and a SIGTERM hook can race) waits until the first has finished, so that the process never exits
     * half-way through.
     */
    public void close(String reason) {
        synchronized (closeLock) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            LOG.info(
                    "closing session {} ({}): releasing its locks and unregistering",
                    self.get().id(),
                    reason);
            ScheduledExecutorService beats;
            synchronized (this) {
                beats = heartbeat;
                if (beats != null) {
                    // no interrupt: a beat in the middle of a transaction finishes it whole
                    beats.shutdown();
                }
            }
            if (beats != null) {
                try {
                    // a beat already running would otherwise re-register this session after it left
                    beats.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                store.unregister(self.get().id(), reason);
            } catch (RuntimeException e) {
                LOG.warn("could not unregister {} from {}: {}", self.get().id(), store.describe(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        close("closed");
    }
}
