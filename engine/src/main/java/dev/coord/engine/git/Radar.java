package dev.coord.engine.git;

import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.path.LockKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One run of the overlap radar over the live sessions of a snapshot: scans each of their worktrees once with git,
 * finds the overlaps ({@link OverlapFinder}) and predicts conflicts ({@link ConflictPredictor}). Slow (it runs git):
 * call it from a background thread or a command, never inside a tool call.
 */
public final class Radar {
    private final Git git;
    private final String host;
    private final String configuredBase;
    private final Clock clock;
    private volatile GitVersion version;

    /**
     * @param host this host's name: sessions on other hosts are left out (their worktrees are not here)
     * @param configuredBase the base branch ({@code COORD_BASE_BRANCH}), or null to find the default one
     */
    public Radar(Git git, String host, String configuredBase, Clock clock) {
        this(git, host, configuredBase, clock, null);
    }

    /** @param version the git version to assume (tests fake an older git), or null to ask git */
    public Radar(Git git, String host, String configuredBase, Clock clock, GitVersion version) {
        this.git = Objects.requireNonNull(git, "git");
        this.host = Objects.requireNonNull(host, "host");
        this.configuredBase = configuredBase;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.version = version;
    }

    /** The sessions of a snapshot the radar looks at: live, on this host, in an existing worktree. */
    public List<SessionWork> sessions(Snapshot snap) {
        Map<String, Set<String>> edited = new HashMap<>();
        for (LockRecord l : snap.locks()) {
            if (l.mode() == LockMode.EXCLUSIVE && !LockKeys.isDirectory(l.path())) {
                edited.computeIfAbsent(l.holder(), k -> new HashSet<>()).add(l.path());
            }
        }
        List<SessionWork> out = new ArrayList<>();
        for (Instance i : snap.instances()) {
            if (i.worktree() == null || !host.equals(i.host()) || !Files.isDirectory(Path.of(i.worktree()))) {
                continue;
            }
            out.add(new SessionWork(i.id(), i.worktree(), edited.getOrDefault(i.id(), Set.of())));
        }
        return out;
    }

    /** Whether these sessions can overlap at all: two of them, or two sharing a worktree. */
    public static boolean worthRunning(List<SessionWork> sessions) {
        return sessions.size() >= 2;
    }

    public RadarResult run(List<SessionWork> sessions) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>();
        Map<String, String> inputs = new LinkedHashMap<>();
        sessions.forEach(s -> inputs.put(s.instanceId(), s.worktree()));
        Set<String> worktrees = new HashSet<>(inputs.values());
        GitVersion v = version;
        String base = null;
        Map<String, WorktreeChanges> changes = new HashMap<>();
        boolean[] cut = {false};
        Path anyTree = null;
        WorktreeScanner scanner = new WorktreeScanner(git);
        try {
            if (!worktrees.isEmpty()) {
                anyTree = Path.of(worktrees.iterator().next());
                if (v == null) {
                    v = git.version(anyTree);
                    version = v;
                }
                base = scanner.resolveBase(anyTree, configuredBase);
            }
        } catch (IOException e) {
            problems.add("git: " + e.getMessage());
        }
        if (problems.isEmpty()) {
            for (String wt : worktrees) {
                try {
                    WorktreeChanges c = scanner.scan(Path.of(wt), base);
                    cut[0] |= c.cut();
                    changes.put(wt, c);
                } catch (IOException e) {
                    problems.add(wt + ": " + e.getMessage());
                }
            }
        }
        ConflictPredictor predictor = new ConflictPredictor(git, v == null ? new GitVersion(0, 0) : v);
        Path repo = anyTree;
        List<Overlap> overlaps = OverlapFinder.find(sessions, changes, (a, b) -> {
            try {
                return predictor.conflicts(repo, a, b);
            } catch (IOException e) {
                problems.add("git merge-tree: " + e.getMessage());
                return null;
            }
        });
        cut[0] |= overlaps.size() >= OverlapFinder.MAX_OVERLAPS;
        long took = (System.nanoTime() - t0) / 1_000_000;
        return new RadarResult(
                started,
                took,
                v == null ? null : v.toString(),
                predictor.available(),
                base,
                inputs,
                List.copyOf(changes.values()),
                overlaps,
                cut[0],
                problems);
    }
}
