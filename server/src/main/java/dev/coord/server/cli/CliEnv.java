package dev.coord.server.cli;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.Sleeper;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.mission.MissionPaths;
import dev.coord.engine.model.Instance;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.repo.RepoLayout;
import dev.coord.engine.repo.RepoLocator;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ServerConfig;
import dev.coord.server.Version;
import dev.coord.server.store.Stores;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * What a command-line command works with: the environment, the working directory, the three standard streams, the
 * clock, and whether colour is allowed. Tests build one over a temporary repository and captured streams.
 */
public final class CliEnv {
    private final Map<String, String> env;
    private final Path cwd;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Clock clock;
    private final boolean color;
    private Sleeper sleeper = Sleeper.system();
    private RepoLayout layout;

    public CliEnv(
            Map<String, String> env,
            Path cwd,
            PrintStream out,
            PrintStream err,
            InputStream in,
            Clock clock,
            boolean color) {
        this.env = Map.copyOf(env);
        this.cwd = cwd.toAbsolutePath();
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.in = Objects.requireNonNull(in, "in");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.color = color;
    }

    /** The process's own streams; colour only on a terminal without {@code NO_COLOR}. */
    public static CliEnv system(Map<String, String> env) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        boolean color = System.console() != null && env.get("NO_COLOR") == null;
        return new CliEnv(env, Path.of(""), out, err, System.in, Clock.systemUTC(), color);
    }

    /**
     * {@code hook pre-edit} runs before every edit: {@link dev.coord.server.Main} calls this directly, without
     * loading the command-line parser.
     */
    public static int preEditHook(Map<String, String> env) {
        return new PreEditHook(system(env)).run();
    }

    public Map<String, String> env() {
        return env;
    }

    public Path cwd() {
        return cwd;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public InputStream in() {
        return in;
    }

    public Clock clock() {
        return clock;
    }

    public boolean color() {
        return color;
    }

    /** How {@code status --watch} waits between refreshes. */
    public Sleeper sleeper() {
        return sleeper;
    }

    public CliEnv withSleeper(Sleeper s) {
        this.sleeper = Objects.requireNonNull(s, "sleeper");
        return this;
    }

    /** The repository around the working directory (or {@code CLAUDE_PROJECT_DIR}). */
    public RepoLayout layout() {
        if (layout == null) {
            layout = RepoLocator.locate(cwd, env);
        }
        return layout;
    }

    public Path stateDir() {
        return RepoLocator.stateDir(layout(), env);
    }

    public ServerConfig config() {
        return ServerConfig.fromEnv(env);
    }

    public PathPolicy paths() {
        return new PathPolicy(layout().root(), stateDir());
    }

    /**
     * A path typed by a person: relative to the working directory (not the repository root), so that
     * {@code coord locks check A.java} inside {@code src/} means {@code src/A.java}.
     */
    public String lockKey(String typed) {
        Path p = Path.of(typed);
        String abs = p.isAbsolute() ? typed : cwd.resolve(p).toString() + (typed.endsWith("/") ? "/" : "");
        Path root = layout().root();
        Path normalized = Path.of(abs).normalize();
        if (!normalized.startsWith(root)) {
            throw dev.coord.engine.CoordException.invalidPath("'" + typed + "' is " + normalized
                    + ", outside the repository " + root + ": coord locks only paths inside the repository, so"
                    + " nothing there can be locked, held or released.");
        }
        return paths().toKey(abs);
    }

    /**
     * The person at the command line, as other sessions are told: {@code user@host}. A session id would mean nothing
     * to the model whose lock was released.
     */
    public String person() {
        String user = System.getProperty("user.name");
        String name = user == null || user.isBlank() ? "someone" : user;
        return name + "@" + HostIdentity.current(env).host();
    }

    /** Opens the store if the state directory exists; null when no coord server ever ran here. */
    public CoordStore openExistingStore() {
        ServerConfig config = config(); // a bad setting is reported even where no state exists yet
        if (config.storeUrl() == null && !Files.isDirectory(stateDir())) {
            return null;
        }
        return openStore();
    }

    /**
     * Opens the store for a command that only reads (status, lists): null when no coord server ever ran here; the
     * file store is opened read-only, leaving no trace.
     */
    public CoordStore openExistingStoreReadOnly() {
        ServerConfig config = config();
        if (config.storeUrl() == null && !Files.isDirectory(stateDir())) {
            return null;
        }
        LivenessJudge judge =
                new LivenessJudge(config.engine().staleAfter(), HostIdentity.current(env), ProcessProbe.system());
        return Stores.openReadOnly(config, env, layout(), stateDir(), clock, judge);
    }

    /** Opens (creating if needed) the store. */
    public CoordStore openStore() {
        ServerConfig config = config();
        LivenessJudge judge =
                new LivenessJudge(config.engine().staleAfter(), HostIdentity.current(env), ProcessProbe.system());
        return Stores.open(config, env, layout(), stateDir(), clock, judge);
    }

    /**
     * A short-lived engine whose session has role {@code cli}, for the commands that change the state on a person's
     * behalf (a forced release, a decision): the store needs a caller to record as author or forcer. The session is
     * registered here; closing the engine unregisters it and closes the store.
     */
    public CoordEngine cliEngine(String task) {
        return personEngine(task, dev.coord.engine.model.Notice.CLI_ROLE, "coord-cli");
    }

    /** The missions folder as configured, for the views of {@code tools} (times in UTC). */
    MissionPaths missionPaths() {
        return new MissionPaths(layout().root(), RepoLocator.missionsDir(layout(), env), java.time.ZoneOffset.UTC);
    }

    /**
     * As {@link #cliEngine}, with the role and client name the registry records (e.g. {@code dashboard}), and the
     * missions folder as configured.
     */
    CoordEngine personEngine(String task, String role, String client) {
        CoordStore store = openStore();
        RepoLayout l = layout();
        Instance self = CoordEngine.thisProcess(
                        HostIdentity.current(env), clock.instant(), l.root().toString(), l.branch(), null)
                .withClient(client, Version.current())
                .withWork(task, role, l.branch());
        CoordEngine engine = CoordEngine.builder(store, self, l.root())
                .stateDir(stateDir())
                .settings(config().engine())
                .branch(() -> RepoLocator.branch(l))
                .missions(RepoLocator.missionsDir(l, env), ZoneId.systemDefault(), false)
                .closeReason(role + " command done")
                .build();
        store.register(self);
        return engine;
    }
}
