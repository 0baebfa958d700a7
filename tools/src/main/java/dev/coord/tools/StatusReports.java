package dev.coord.tools;

import dev.coord.engine.ContentHasher;
import dev.coord.engine.CoordException;
import dev.coord.engine.Session;
import dev.coord.engine.git.Overlap;
import dev.coord.engine.git.RadarResult;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.path.LockKeys;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.store.CoordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds {@link StatusReport}s: who is active, what is locked, recent decisions, missions; capped and clipped for a
 * model's context. The status tool, the session prompts and the CLI show the same report.
 */
public final class StatusReports {
    public static final int MAX_INSTANCES = 8;
    public static final int MAX_LOCKS = 10;
    /** Own locks listed in {@code you}; the rest are counted. */
    public static final int MAX_OWN_LOCKS = 20;
    /** Paths listed per other session in the overview ({@code holds}); its {@code locks} counts them all. */
    public static final int MAX_HOLDS = 3;

    public static final int RECENT_DECISIONS = 3;
    public static final int MAX_PATHS = 20;
    /** Overlaps listed in a status. */
    public static final int MAX_OVERLAPS = 10;
    /** Free text (tasks, roles, reasons) is cut to this many characters in status lines. */
    public static final int MAX_TEXT = 60;

    private final CoordStore store;
    private final Session session;
    private final PathPolicy paths;
    private final Supplier<List<String>> problems;
    private final MissionService missions;
    private volatile Supplier<RadarResult> radar = () -> null;

    public StatusReports(CoordStore store, Session session, PathPolicy paths, Supplier<List<String>> problems) {
        this(store, session, paths, problems, null);
    }

    /**
     * @param missions the missions of the repository, or null when there are none to report
     */
    public StatusReports(
            CoordStore store,
            Session session,
            PathPolicy paths,
            Supplier<List<String>> problems,
            MissionService missions) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.missions = missions;
    }

    /**
     * Lets {@code status} report the overlaps of the git radar: {@code radar} must answer at once (the newest result
     * kept in memory, {@link dev.coord.engine.git.RadarRefresher#latest()}), never run git.
     */
    public void useRadar(Supplier<RadarResult> radar) {
        this.radar = Objects.requireNonNull(radar, "radar");
    }

    /**
     * @param onlyPaths null for the whole picture; else only what concerns these paths
     */
    public StatusReport status(List<String> onlyPaths) {
        List<String> keys = null;
        if (onlyPaths != null && !onlyPaths.isEmpty()) {
            if (onlyPaths.size() > MAX_PATHS) {
                throw CoordException.invalidArgument(
                        "status takes at most " + MAX_PATHS + " paths, got " + onlyPaths.size());
            }
            keys = new ArrayList<>();
            for (String p : onlyPaths) {
                if (p == null) {
                    throw CoordException.invalidPath("paths must not contain null");
                }
                keys.add(paths.toKey(p));
            }
        }
        Snapshot snap = store.touch(session.self());
        Instance me = session.self();
        Map<String, Instance> byId = new HashMap<>();
        snap.instances().forEach(i -> byId.put(i.id(), i));

        List<StatusReport.OwnLock> own = new ArrayList<>();
        Instant ownExpiry = null;
        int moreOwn = 0;
        List<LockRecord> others = new ArrayList<>();
        for (LockRecord l : snap.locks()) {
            if (l.holder().equals(me.id())) {
                if (keys == null || overlapsAny(l.path(), keys)) {
                    if (own.size() < MAX_OWN_LOCKS) {
                        own.add(new StatusReport.OwnLock(
                                l.path(),
                                l.mode() == LockMode.SHARED ? l.mode() : null,
                                Boolean.TRUE.equals(changed(l, me)) ? Boolean.TRUE : null,
                                l.auto() ? Boolean.TRUE : null));
                    } else {
                        moreOwn++;
                    }
                    if (ownExpiry == null || l.expiresAt().isBefore(ownExpiry)) {
                        ownExpiry = l.expiresAt();
                    }
                }
            } else if (keys == null || overlapsAny(l.path(), keys)) {
                others.add(l);
            }
        }
        others.sort(Comparator.comparing(LockRecord::acquiredAt));
        // the overview names a few paths per session (holds); the full lock lines only for the paths asked about
        List<StatusReport.LockLine> lockLines = new ArrayList<>();
        if (keys != null) {
            for (LockRecord l : others.subList(0, Math.min(MAX_LOCKS, others.size()))) {
                lockLines.add(line(l, byId, false));
            }
        }
        Map<String, List<String>> holds = new HashMap<>();
        if (keys == null) {
            for (LockRecord l : others) {
                List<String> h = holds.computeIfAbsent(l.holder(), k -> new ArrayList<>());
                if (h.size() < MAX_HOLDS) {
                    h.add(l.path());
                }
            }
        }

        Map<String, Integer> lockCounts = new HashMap<>();
        snap.locks().forEach(l -> lockCounts.merge(l.holder(), 1, Integer::sum));
        List<Instance> peers = new ArrayList<>();
        for (Instance i : snap.instances()) {
            if (i.id().equals(me.id())) {
                continue;
            }
            if (keys != null && others.stream().noneMatch(l -> l.holder().equals(i.id()))) {
                continue;
            }
            peers.add(i);
        }
        peers.sort(Comparator.comparing(Instance::startedAt));
        List<StatusReport.InstanceLine> instanceLines = new ArrayList<>();
        for (Instance i : peers.subList(0, Math.min(MAX_INSTANCES, peers.size()))) {
            instanceLines.add(new StatusReport.InstanceLine(
                    i.id(),
                    clip(i.task()),
                    clip(i.role()),
                    Objects.equals(i.branch(), me.branch()) ? null : i.branch(),
                    Objects.equals(i.worktree(), me.worktree()) ? null : i.worktree(),
                    i.host().equals(me.host()) ? null : i.host(),
                    heartbeatAge(i, snap.at()),
                    lockCounts.getOrDefault(i.id(), 0),
                    holds.getOrDefault(i.id(), List.of())));
        }

        List<StatusReport.PathLine> pathLines = new ArrayList<>();
        if (keys != null) {
            for (String key : keys) {
                List<StatusReport.LockLine> holders = new ArrayList<>();
                boolean mine = false;
                for (LockRecord l : snap.locks()) {
                    if (LockKeys.overlaps(l.path(), key)) {
                        if (l.holder().equals(me.id())) {
                            mine = true;
                        } else {
                            holders.add(line(l, byId, true));
                        }
                    }
                }
                String state = !holders.isEmpty() ? "held" : mine ? "yours" : "free";
                pathLines.add(new StatusReport.PathLine(key, state, holders));
            }
        }

        List<StatusReport.DecisionLine> recent = new ArrayList<>();
        if (keys == null) {
            for (Decision d : store.decisions(new DecisionQuery(null, null, null, RECENT_DECISIONS))) {
                recent.add(StatusReport.DecisionLine.brief(d));
            }
        }
        List<String> notices = new ArrayList<>();
        for (Notice n : snap.notices()) {
            notices.add(Notices.message(n));
        }
        List<String> problemLines = problems.get();
        MissionViews.Overview missionOverview = null;
        if (keys == null && missions != null) {
            try {
                missionOverview = MissionViews.overview(missions.overview(snap), missions.paths());
            } catch (CoordException e) {
                problemLines = new ArrayList<>(problemLines);
                problemLines.add("missions: " + e.getMessage());
            }
        }
        List<StatusReport.OverlapLine> overlaps = overlaps(me, byId, keys);
        return new StatusReport(
                new StatusReport.You(
                        me.id(),
                        clip(me.task()),
                        me.role(),
                        me.branch(),
                        me.worktree(),
                        own,
                        moreOwn,
                        seconds(ownExpiry)),
                instanceLines,
                lockLines,
                pathLines,
                recent,
                missionOverview,
                peers.size() - instanceLines.size(),
                keys == null ? 0 : others.size() - lockLines.size(),
                snap.waiters().size(),
                notices,
                problemLines,
                overlaps,
                keys == null ? store.describe() : null);
    }

    /** This session's overlaps with sessions still alive, for the asked paths only when it named some. */
    private List<StatusReport.OverlapLine> overlaps(Instance me, Map<String, Instance> byId, List<String> keys) {
        RadarResult r = radar.get();
        List<StatusReport.OverlapLine> lines = new ArrayList<>();
        if (r == null) {
            return lines;
        }
        for (Overlap o : r.of(me.id())) {
            Instance other = byId.get(o.other(me.id()));
            if (other == null || (keys != null && !overlapsAny(o.path(), keys))) {
                continue;
            }
            lines.add(new StatusReport.OverlapLine(
                    o.path(),
                    other.id(),
                    clip(other.task()),
                    Objects.equals(other.worktree(), me.worktree()) ? null : other.worktree(),
                    o.conflictText()));
            if (lines.size() == MAX_OVERLAPS) {
                break;
            }
        }
        return lines;
    }

    private Boolean changed(LockRecord l, Instance me) {
        if (l.sha256() == null || LockKeys.isDirectory(l.path()) || !Objects.equals(l.worktree(), me.worktree())) {
            return null;
        }
        return !l.sha256().equals(ContentHasher.hash(paths.resolve(l.path())));
    }

    /** A lock line; the holder's task only where the holder is not listed with it (path verdicts). */
    private static StatusReport.LockLine line(LockRecord l, Map<String, Instance> byId, boolean withTask) {
        return StatusReport.LockLine.brief(l, byId.get(l.holder()), withTask);
    }

    /** Seconds since the session's heartbeat, or null while it is on time (within two heartbeats). */
    private Long heartbeatAge(Instance i, Instant now) {
        long age = Math.max(0, Duration.between(i.lastHeartbeat(), now).toSeconds());
        return age * 1000 <= 2 * session.settings().heartbeatInterval().toMillis() ? null : age;
    }

    static String clip(String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        return text.substring(0, MAX_TEXT - 3) + "...";
    }

    private static Instant seconds(Instant t) {
        return Views.seconds(t);
    }

    private static boolean overlapsAny(String key, List<String> keys) {
        for (String k : keys) {
            if (LockKeys.overlaps(key, k)) {
                return true;
            }
        }
        return false;
    }
}
