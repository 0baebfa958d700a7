package dev.coord.server;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.EngineSettings;
import dev.coord.engine.Session;
import dev.coord.engine.git.RadarRefresher;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.model.Instance;
import dev.coord.engine.repo.FileSystemCheck;
import dev.coord.engine.repo.RepoLayout;
import dev.coord.engine.repo.RepoLocator;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.stdio.JsonRpcInputGuard;
import dev.coord.server.stdio.LineWriter;
import dev.coord.server.stdio.SerializedTransportProvider;
import dev.coord.server.store.Stores;
import dev.coord.tools.CoordTool;
import dev.coord.tools.CoordTools;
import dev.coord.tools.Coordinator;
import dev.coord.tools.SessionPrompts;
import dev.coord.tools.TrustedOutputValidator;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires one stdio MCP server process: repository, state, session, tools, transport. */
final class CoordServer {
    private static final Logger LOG = LoggerFactory.getLogger(CoordServer.class);

    private CoordServer() {}

    /**
     * What is settled before serving, because it is cheap and a mistake in it is bad configuration: the settings,
     * the repository around {@code cwd}, where its state and missions are, and the network-file-system refusal.
     *
     * @param radar the git radar's settings
     */
    record Plan(ServerConfig config, RepoLayout layout, Path stateDir, Path missionsDir, RadarConfig radar) {}

    /** Checks the configuration and finds the repository around {@code cwd}; opens nothing. */
    static Plan plan(Map<String, String> env, Path cwd) {
        ServerConfig config = ServerConfig.fromEnv(env);
        RadarConfig radar = RadarConfig.fromEnv(env);
        RepoLayout layout = RepoLocator.locate(cwd, env);
        Path stateDir = RepoLocator.stateDir(layout, env);
        Path missionsDir = RepoLocator.missionsDir(layout, env);
        Optional<String> remote =
                config.storeUrl() == null ? FileSystemCheck.networkFileSystem(stateDir) : Optional.empty();
        if (remote.isPresent()) {
            String msg = "the state directory " + stateDir + " is on a " + remote.get() + " file system, where file"
                    + " locks are unreliable and two sessions could both get the same lock";
            if (!config.allowNetworkFs()) {
                throw new ConfigException(msg + ". Put it on a local disk with COORD_STATE_DIR, use a PostgreSQL"
                        + " store, or set " + ServerConfig.ALLOW_NETWORK_FS + "=true to accept the risk.");
            }
            LOG.warn("{} ({}=true)", msg, ServerConfig.ALLOW_NETWORK_FS);
        }
        return new Plan(config, layout, stateDir, missionsDir, radar);
    }

    /**
     * Opens the engine of the plan and starts this session: the store, the registration, the mission files a
     * crashed process left half moved. Runs on the {@code coord-open} thread while the transport serves.
     */
    static Engine openAndStart(Plan plan, Map<String, String> env, Clock clock) {
        Engine engine = open(plan, env, clock);
        try {
            engine.session().start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        settleMissions(engine);
        return engine;
    }

    /** Opens the engine of the plan (the store, the services); registers nothing yet. */
    static Engine open(Plan plan, Map<String, String> env, Clock clock) {
        ServerConfig config = plan.config();
        RepoLayout layout = plan.layout();
        Path stateDir = plan.stateDir();
        if (layout.git() && stateDir.startsWith(layout.mainWorktreeRoot())) {
            try {
                if (RepoLocator.ensureIgnored(layout)) {
                    LOG.info("added /.claude/coordination/ to {}/info/exclude", layout.gitCommonDir());
                }
            } catch (IOException e) {
                LOG.warn("could not add the state directory to git's ignore rules: {}", e.getMessage());
            }
        }
        HostIdentity host = HostIdentity.current(env);
        EngineSettings settings = config.engine();
        LivenessJudge judge = new LivenessJudge(settings.staleAfter(), host, ProcessProbe.system());
        CoordStore store = Stores.open(config, env, layout, stateDir, clock, judge);
        if (config.storeUrl() != null) {
            try {
                // The local state directory still holds the lock files of mission moves; the edit hook looks for it.
                java.nio.file.Files.createDirectories(stateDir);
            } catch (IOException e) {
                store.close();
                throw new ConfigException(
                        "cannot create the local state directory " + stateDir + ": " + e.getMessage());
            }
        }
        Instance self = CoordEngine.thisProcess(
                host,
                store.now(),
                layout.root().toString(),
                layout.branch(),
                blankToNull(env.get("CLAUDE_CODE_SESSION_ID")));
        CoordEngine core = CoordEngine.builder(store, self, layout.root())
                .stateDir(stateDir)
                .settings(settings)
                .branch(() -> RepoLocator.branch(layout))
                .missions(plan.missionsDir(), ZoneId.systemDefault(), config.fsyncState())
                .problems(() -> Stores.problems(store))
                .hooks(config.hooks(), layout)
                .build();
        Coordinator coordinator = Coordinator.of(core);
        RadarConfig radarConfig = plan.radar();
        RadarRefresher radar = null;
        if (radarConfig.enabled() && layout.git()) {
            radar = radarConfig.refresher(store::read, stateDir, host.host(), clock);
            coordinator.useRadar(radar::latest);
        }
        return new Engine(layout, stateDir, core, coordinator, radar);
    }

    /**
     * The engine of one process, with the tools' view of it.
     *
     * @param radar the git overlap radar, or null when it is off or there is no git repository
     */
    record Engine(RepoLayout layout, Path stateDir, CoordEngine core, Coordinator coordinator, RadarRefresher radar)
            implements AutoCloseable {
        CoordStore store() {
            return core.store();
        }

        Session session() {
            return core.session();
        }

        @Override
        public void close() {
            if (radar != null) {
                radar.stop();
            }
            core.close();
        }
    }

    /** How long the end of stdin waits for answers to requests already received. */
    static final Duration DRAIN = Duration.ofSeconds(10);

    /**
     * Serves MCP over the given streams until stdin ends, while {@code startup} opens the engine: {@code initialize},
     * {@code tools/list} and {@code prompts/list} are answered at once, a tool or prompt call waits for the engine.
     * When stdin ends it waits for the open to end, then for the answers to the requests already received (the SDK
     * would drop them), releases this session's locks and unregisters, and only then lets the SDK see the end of
     * input. When the open fails it answers the calls already received with the error and returns the failure's exit
     * code (after saying why on stderr).
     *
     * @return the process exit code; the caller must exit the JVM (the SDK leaves non-daemon threads behind)
     */
    static int serve(Plan plan, EngineStartup startup, InputStream stdin, OutputStream stdout, String version)
            throws InterruptedException {
        LineWriter out = new LineWriter(stdout);
        AtomicReference<JsonRpcInputGuard> guardRef = new AtomicReference<>();
        CountDownLatch stop = new CountDownLatch(1);
        JsonRpcInputGuard guard = new JsonRpcInputGuard(stdin, out, () -> {
            stop.countDown();
            // the calls already received wait for the engine: let its open end before waiting for their answers
            startup.ifOpen(EngineStartup.CALL_WAIT, engine -> {});
            try {
                if (!out.awaitStreamLines(guardRef.get().requestsDelivered(), DRAIN)) {
                    LOG.warn("stdin closed with requests still unanswered after {} s", DRAIN.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            startup.ifOpen(Duration.ZERO, engine -> engine.session().close("stdin closed"));
        });
        guardRef.set(guard);
        startup.whenFailed(stop::countDown);
        List<CoordTool> tools = CoordTools.all(startup::coordinator);
        McpSyncServer server = McpServer.sync(new SerializedTransportProvider(new StdioServerTransportProvider(
                        McpJsonDefaults.getMapper(), guard.sdkInput(), out.newStream())))
                .serverInfo("coord", version)
                .instructions(Instructions.TEXT)
                .capabilities(
                        ServerCapabilities.builder().tools(false).prompts(false).build())
                // the tools check their arguments themselves and answer INVALID_ARGUMENT (see AbstractTool)
                .validateToolInputs(false)
                // no schema compiling at build and no output check per call (see TrustedOutputValidator)
                .jsonSchemaValidator(new TrustedOutputValidator())
                .tools(tools.stream().map(CoordTool::specification).toList())
                .prompts(SessionPrompts.all(startup::coordinator))
                .build();
        guard.knownTools(tools.stream().map(CoordTool::name).toList());
        startup.start(); // before the guard reads stdin: an end of input waits for the open
        guard.start();
        IdleCollector idle = IdleCollector.start(guard::requestsDelivered);
        startup.whenOpen(engine -> {
            warmUpInBackground(engine.store(), tools);
            if (engine.radar() != null) {
                engine.radar().start(WARM_UP_DELAY);
            }
            LOG.info(
                    "coord {} serving {} as {} (store {})",
                    version,
                    plan.layout().root(),
                    engine.session().id(),
                    engine.store().describe());
        });
        stop.await();
        Throwable failed = startup.failure();
        if (failed != null) {
            // the calls already received are answered with the error at once (EngineStartup.coordinator)
            if (!out.awaitStreamLines(guard.requestsDelivered(), FAILED_DRAIN)) {
                LOG.warn("exiting with requests unanswered");
            }
            return EngineStartup.report(failed);
        }
        // The session is closed by now or within DRAIN; if the SDK stopped reading (its session died), do not wait
        // for it for ever: the process must exit so that it never outlives its client.
        if (!guard.awaitSdkEndOfInput(DRAIN.plusSeconds(5))) {
            LOG.warn("the MCP session did not read the end of input; exiting anyway");
        }
        server.closeGracefully();
        idle.close();
        failed = startup.failure();
        if (failed != null) {
            return EngineStartup.report(failed); // stdin ended first, then the open failed
        }
        startup.ifOpen(Duration.ZERO, Engine::close);
        return ExitCodes.SUCCESS;
    }

    /** How long an open that failed waits for the error answers of the calls already received before exiting. */
    static final Duration FAILED_DRAIN = Duration.ofSeconds(2);

    /**
     * How long after the server starts serving the warm-up begins: past the client's {@code initialize} and
     * {@code tools/list}, which it would otherwise slow down on a busy machine, and usually before the model's first
     * call.
     */
    static final Duration WARM_UP_DELAY = Duration.ofSeconds(2);

    /**
     * Reads the store's logs into memory ({@link CoordStore#warmUp}) and compiles the tools' input schemas on a
     * low-priority daemon thread shortly after the server starts serving, so that neither the start-up nor the first
     * calls pay for them (nor hold the store's mutex while they do).
     */
    static void warmUpInBackground(CoordStore store, List<CoordTool> tools) {
        Thread t = new Thread(
                () -> {
                    try {
                        Thread.sleep(WARM_UP_DELAY.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    store.warmUp();
                    for (CoordTool tool : tools) {
                        try {
                            tool.warmUp();
                        } catch (RuntimeException e) {
                            LOG.debug("warming up {} failed: {}", tool.name(), e.toString());
                        }
                    }
                },
                "coord-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * Finishes the mission file moves a crashed process left half done and removes its temp files, before the first
     * request. A failure is logged, never fatal: every mission call retries it.
     */
    static void settleMissions(Engine engine) {
        MissionService missions = engine.coordinator().missions();
        try {
            List<String> problems = missions.reconcile();
            problems.forEach(p -> LOG.warn("missions: {}", p));
        } catch (RuntimeException e) {
            LOG.warn("could not settle the missions in {}: {}", missions.root(), e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
