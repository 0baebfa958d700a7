package dev.coord.engine;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.model.Instance;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.repo.RepoLayout;
import dev.coord.engine.service.ActivityService;
import dev.coord.engine.service.DecisionService;
import dev.coord.engine.service.EditGuardService;
import dev.coord.engine.service.GitGuardService;
import dev.coord.engine.service.HookSettings;
import dev.coord.engine.service.LockService;
import dev.coord.engine.service.MessageService;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.service.StandardNews;
import dev.coord.engine.service.WaitWatch;
import dev.coord.engine.store.CoordStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The engine of one process, built in one place: the session of this process's instance over an open store, and the
 * services that act for it. The server (under its tools), the command line and the benchmarks all build it here; the
 * caller only opens the store (the server picks the file store or PostgreSQL) and describes this process.
 */
public final class CoordEngine implements AutoCloseable {
    private final CoordStore store;
    private final Session session;
    private final PathPolicy paths;
    private final LockService locks;
    private final DecisionService decisions;
    private final MissionService missions;
    private final EditGuardService guard;
    private final ActivityService activity;
    private final GitGuardService git;
    private final MessageService messages;
    private final Supplier<List<String>> problems;
    private final String closeReason;

    private CoordEngine(Builder b) {
        this.store = b.store;
        this.session = new Session(b.store, b.settings, b.self, b.branch);
        this.paths = new PathPolicy(b.repoRoot, b.stateDir);
        WaitWatch watch = new WaitWatch();
        this.locks = new LockService(b.store, session, paths, b.settings, b.sleeper, watch);
        RepoLayout layout = b.layout != null
                ? b.layout
                : new RepoLayout(b.repoRoot, b.repoRoot, b.repoRoot, null, null, null, false);
        this.guard = new EditGuardService(b.store, session, paths, b.hooks, watch, layout);
        this.activity = new ActivityService(b.store, session, guard, StandardNews.all(b.store, session::id, watch));
        this.git = new GitGuardService(b.store, session, paths);
        this.decisions = new DecisionService(b.store, session);
        this.missions = new MissionService(
                b.store,
                session,
                b.repoRoot,
                b.missionsDir == null ? b.repoRoot.resolve("missions") : b.missionsDir,
                b.zone,
                b.steps,
                b.durableMissions);
        this.messages = new MessageService(b.store, session, paths, missions, watch);
        this.problems = b.problems;
        this.closeReason = b.closeReason;
    }

    /**
     * This process as it first registers: a new instance id, the host's identity, the worktree and branch; no client,
     * task or role yet (the session learns them later).
     *
     * @param sessionId the Claude Code session id ({@code CLAUDE_CODE_SESSION_ID}), or null
     */
    public static Instance thisProcess(
            HostIdentity host, Instant now, String worktree, String branch, String sessionId) {
        return new Instance(
                InstanceIds.newId(now),
                host.pid(),
                host.processStart(),
                host.host(),
                host.bootId(),
                worktree,
                branch,
                null,
                null,
                sessionId,
                null,
                null,
                now,
                now);
    }

    /**
     * Starts building the engine.
     *
     * @param store the open store; {@link #close()} closes it
     * @param self this process's instance (see {@link #thisProcess})
     * @param repoRoot the worktree the session works in: lock paths are relative to it
     */
    public static Builder builder(CoordStore store, Instance self, Path repoRoot) {
        return new Builder(store, self, repoRoot);
    }

    public CoordStore store() {
        return store;
    }

    public Session session() {
        return session;
    }

    public PathPolicy paths() {
        return paths;
    }

    public LockService locks() {
        return locks;
    }

    public DecisionService decisions() {
        return decisions;
    }

    public MissionService missions() {
        return missions;
    }

    /** The edit guard and edit claims Claude Code's hooks call. */
    public EditGuardService guard() {
        return guard;
    }

    /** The Bash guard for shared worktrees and the changed-elsewhere warning, for Claude Code's hooks. */
    public GitGuardService git() {
        return git;
    }

    /** Messages between sessions: send, read, the unread summary. */
    public MessageService messages() {
        return messages;
    }

    /** Lease renewal and news on the session's activity, for Claude Code's hooks. */
    public ActivityService activity() {
        return activity;
    }

    /** State problems found and repaired (e.g. a corrupt file set aside), for status. */
    public List<String> problems() {
        return problems.get();
    }

    /** Ends the session (releasing its locks, unregistering) and closes the store. */
    @Override
    public void close() {
        try {
            session.close(closeReason);
        } finally {
            store.close();
        }
    }

    /** What the engine needs besides the store and this process; every setting has a default. */
    public static final class Builder {
        private final CoordStore store;
        private final Instance self;
        private final Path repoRoot;
        private Path stateDir;
        private Path missionsDir;
        private EngineSettings settings = EngineSettings.defaults();
        private Supplier<String> branch;
        private Sleeper sleeper = Sleeper.system();
        private ZoneId zone = ZoneId.systemDefault();
        private MissionSettler.Steps steps = MissionSettler.Steps.NONE;
        private boolean durableMissions;
        private Supplier<List<String>> problems = List::of;
        private String closeReason = "closed";
        private HookSettings hooks = HookSettings.defaults();
        private RepoLayout layout;

        private Builder(CoordStore store, Instance self, Path repoRoot) {
            this.store = Objects.requireNonNull(store, "store");
            this.self = Objects.requireNonNull(self, "self");
            this.repoRoot = Objects.requireNonNull(repoRoot, "repoRoot");
            this.branch = self::branch;
        }

        /** The state directory, which no lock may name (default: none). */
        public Builder stateDir(Path dir) {
            this.stateDir = dir;
            return this;
        }

        public Builder settings(EngineSettings s) {
            this.settings = Objects.requireNonNull(s, "settings");
            return this;
        }

        /** How the session learns the current branch (default: the branch it registered with). */
        public Builder branch(Supplier<String> b) {
            this.branch = Objects.requireNonNull(b, "branch");
            return this;
        }

        /** How lock waits pause (default: the system's). */
        public Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        /**
         * The missions folder (default: {@code missions/} of the repository root), the zone of the times written into
         * mission files, and whether their moves and rewrites are forced to disk.
         */
        public Builder missions(Path dir, ZoneId z, boolean durable) {
            this.missionsDir = Objects.requireNonNull(dir, "dir");
            this.zone = Objects.requireNonNull(z, "zone");
            this.durableMissions = durable;
            return this;
        }

        /** Called after each step of a mission operation (tests stop a process half-way with it). */
        public Builder missionSteps(MissionSettler.Steps s) {
            this.steps = Objects.requireNonNull(s, "steps");
            return this;
        }

        /** Where status finds the problems the store repaired (default: none). */
        public Builder problems(Supplier<List<String>> p) {
            this.problems = Objects.requireNonNull(p, "problems");
            return this;
        }

        /** The reason {@link #close()} gives when it unregisters the session (default: {@code closed}). */
        public Builder closeReason(String reason) {
            this.closeReason = Objects.requireNonNull(reason, "reason");
            return this;
        }

        /**
         * What the hook tool does ({@code COORD_ENFORCE}, the edit-claim idle time; default: warn, 10 min) and the
         * repository's git layout, for ending claims on committed files (default: none, no commit check).
         */
        public Builder hooks(HookSettings h, RepoLayout repoLayout) {
            this.hooks = Objects.requireNonNull(h, "hooks");
            this.layout = repoLayout;
            return this;
        }

        public CoordEngine build() {
            return new CoordEngine(this);
        }
    }
}
