package dev.coord.engine.service;

import dev.coord.engine.Session;
import dev.coord.engine.git.ChangedElsewhere;
import dev.coord.engine.git.GitAliases;
import dev.coord.engine.git.RadarResult;
import dev.coord.engine.git.SharedTreeGuard;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.store.CoordStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The git side of the hooks for one session: the Bash guard for worktrees shared with other live sessions
 * ({@link SharedTreeGuard}) and the warning about a file another session has changed in its own worktree or branch
 * ({@link ChangedElsewhere}, from the radar's newest result in memory). Both read the shared state without the mutex
 * and run no git, except {@code git config} for a subcommand that may be an alias.
 */
public final class GitGuardService {
    private final CoordStore store;
    private final Session session;
    private final PathPolicy paths;
    private volatile Supplier<RadarResult> radar = () -> null;

    public GitGuardService(CoordStore store, Session session, PathPolicy paths) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
        this.paths = Objects.requireNonNull(paths, "paths");
    }

    /** @param radar answers at once with the newest radar result (never runs git) */
    public void useRadar(Supplier<RadarResult> radar) {
        this.radar = Objects.requireNonNull(radar, "radar");
    }

    private Predicate<Instance> isMe() {
        Instance me = session.self();
        return i -> i.id().equals(me.id())
                || (me.sessionId() != null && me.sessionId().equals(i.sessionId()));
    }

    /**
     * @param command the Bash command line
     * @param cwd the shell's working directory as Claude Code reports it, or null for this session's worktree
     * @return why the command endangers other sessions' work, or empty
     */
    public Optional<String> bash(String command, String cwd) {
        Path dir = paths.root();
        if (cwd != null && !cwd.isBlank()) {
            try {
                Path p = Path.of(cwd);
                if (p.isAbsolute() && Files.isDirectory(p)) {
                    dir = p;
                }
            } catch (InvalidPathException e) {
                // keep the worktree root
            }
        }
        Snapshot snap = store.read();
        return SharedTreeGuard.check(command, dir, isMe(), snap.instances(), GitAliases.in(dir));
    }

    /** Lines naming the other sessions that already changed {@code key}; empty when none did. */
    public List<String> changedElsewhere(String key) {
        RadarResult r = radar.get();
        if (r == null || r.changes().isEmpty()) {
            return List.of();
        }
        Map<String, Instance> byId = new HashMap<>();
        store.read().instances().forEach(i -> byId.put(i.id(), i));
        return ChangedElsewhere.lines(r, key, session.self().worktree(), isMe(), byId);
    }
}
