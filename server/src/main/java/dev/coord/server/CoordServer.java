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

    /** Opens the engine for the repository around {@code cwd}. */
    static Engine open(Map<String, String> env, Path cwd, Clock clock) {
        ServerConfig config = ServerConfig.fromEnv(env);
        RepoLayout layout = RepoLocator.locate(cwd, env);
        Path stateDir = RepoLocator.stateDir(layout, env);
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
                .missions(RepoLocator.missionsDir(layout, env), ZoneId.systemDefault(), config.fsyncState())
                .problems(() -> Stores.problems(store))
                .hooks(config.hooks(), layout)
                .build();
        Coordinator coordinator = Coordinator.of(core);
        RadarConfig radarConfig = RadarConfig.fromEnv(env);
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
     * Serves MCP over the given streams until stdin ends. Then it waits for the answers to the requests already
     * received (the SDK would drop them), releases this session's locks and unregisters, and only then lets the SDK
     * see the end of input.
     *
     * @return the process exit code; the caller must exit the JVM (the SDK leaves non-daemon threads behind)
     */
    static int serve(Engine engine, InputStream stdin, OutputStream stdout, String version)
            throws InterruptedException {
        engine.session().start();
        settleMissions(engine);
        LineWriter out = new LineWriter(stdout);
        AtomicReference<JsonRpcInputGuard> guardRef = new AtomicReference<>();
        CountDownLatch stdinEnded = new CountDownLatch(1);
        JsonRpcInputGuard guard = new JsonRpcInputGuard(stdin, out, () -> {
            stdinEnded.countDown();
            try {
                if (!out.awaitStreamLines(guardRef.get().requestsDelivered(), DRAIN)) {
                    LOG.warn("stdin closed with requests still unanswered after {} s", DRAIN.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            engine.session().close("stdin closed");
        });
        guardRef.set(guard);
        List<CoordTool> tools = CoordTools.all(engine.coordinator());
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
                .prompts(SessionPrompts.all(engine.coordinator()))
                .build();
        guard.knownTools(tools.stream().map(CoordTool::name).toList());
        guard.start();
        IdleCollector idle = IdleCollector.start(guard::requestsDelivered);
        warmUpInBackground(engine.store(), tools);
        if (engine.radar() != null) {
            engine.radar().start(WARM_UP_DELAY);
        }
        LOG.info(
                "coord {} serving {} as {} (store {})",
                version,
                engine.layout().root(),
                engine.session().id(),
                engine.store().describe());
        stdinEnded.await();
        // The session is closed by now or within DRAIN; if the SDK stopped reading (its session died), do not wait
        // for it for ever: the process must exit so that it never outlives its client.
        if (!guard.awaitSdkEndOfInput(DRAIN.plusSeconds(5))) {
            LOG.warn("the MCP session did not read the end of input; exiting anyway");
        }
        server.closeGracefully();
        idle.close();
        engine.close();
        return ExitCodes.SUCCESS;
    }

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
