package dev.coord.engine.service;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.Session;
import dev.coord.engine.mission.MissionBoard;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.mission.MissionFolder;
import dev.coord.engine.mission.MissionPaths;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.model.ClaimHolder;
import dev.coord.engine.model.ClaimOutcome;
import dev.coord.engine.model.ClaimRequest;
import dev.coord.engine.model.FinishOutcome;
import dev.coord.engine.model.FinishRequest;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionRef;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.service.MissionOutcomes.Claim;
import dev.coord.engine.service.MissionOutcomes.Finish;
import dev.coord.engine.service.MissionOutcomes.Overview;
import dev.coord.engine.service.MissionOutcomes.Refusal;
import dev.coord.engine.service.MissionOutcomes.Sighting;
import dev.coord.engine.store.CoordStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Missions for one session: claim from {@code queue/} into {@code active/}, complete into {@code done/}, give back to
 * {@code queue/}, and the overview for {@code status}.
 *
 * <p>The store decides (who claimed what, atomically, see {@link dev.coord.engine.store.CoordStore#claimMission});
 * the files follow. Every operation runs inside the store's {@code missions} exclusive section and goes:
 *
 * <ol>
 *   <li>reconcile: bring every file whose record is not settled in line with its record (this is what finishes the
 *       work of a process that died half-way);
 *   <li>read the folders, check the request, ask the store to decide;
 *   <li>settle the record ({@link MissionSettler}): move and stamp the file, then mark the record settled.
 * </ol>
 *
 * The arguments come checked (the tools check what the model sent); the results are domain values
 * ({@link MissionOutcomes}) that the tools shape for the model.
 */
public final class MissionService {
    /** The holder of a file in {@code active/} that names no claimer. */
    public static final String UNKNOWN_CLAIMER = "unknown";

    private static final int CLAIM_ATTEMPTS = 3;

    private final CoordStore store;
    private final Session session;
    private final MissionPaths paths;
    private final MissionSettler settler;
    private final MissionLookup lookup;
    private final MissionOverviews overviews;

    /**
     * @param repoRoot paths in results are relative to it
     * @param root the missions folder (holding {@code queue/}, {@code active/}, {@code done/})
     * @param zone the zone of the times written into mission files
     * @param durable force moves and rewrites of mission files to disk (directories included), so that they survive
     *     a power loss; without it a power loss may undo a move or a stamp, never tear a file
     */
    public MissionService(
            CoordStore store,
            Session session,
            Path repoRoot,
            Path root,
            ZoneId zone,
            MissionSettler.Steps steps,
            boolean durable) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
        this.paths = new MissionPaths(repoRoot, root, zone);
        this.settler = new MissionSettler(store, paths, steps, durable);
        this.lookup = new MissionLookup(store, paths);
        this.overviews = new MissionOverviews(session, paths, lookup, settler);
    }

    public MissionService(
            CoordStore store, Session session, Path repoRoot, Path root, ZoneId zone, MissionSettler.Steps steps) {
        this(store, session, repoRoot, root, zone, steps, false);
    }

    public MissionService(CoordStore store, Session session, Path repoRoot, Path root) {
        this(store, session, repoRoot, root, ZoneId.systemDefault(), MissionSettler.Steps.NONE, false);
    }

    /** The missions folder. */
    public Path root() {
        return paths.root();
    }

    /** Where the missions are, and how their paths and times are written. */
    public MissionPaths paths() {
        return paths;
    }

    /** Whether the missions folder exists (else missions are off: status leaves them out). */
    public boolean available() {
        return paths.available();
    }

    // ---------------------------------------------------------------- claim

    /**
     * Claims a mission: the one named, or the best queued one (highest priority, then oldest, skipping missions whose
     * {@code depends_on} are not all done).
     *
     * @param id the mission, or null for the best queued one
     * @param rid the caller's id for this request, or null; a retry with the same id returns the same claim
     * @param force take over a mission whose claimer is gone or whose claim is older than 24 hours (needs {@code id}
     *     and {@code why})
     * @param why the reason written to the mission's log and the audit log, or null
     */
    public Claim claim(String id, String rid, boolean force, String why) {
        if (force && (id == null || why == null)) {
            throw new IllegalArgumentException("a forced claim names its mission and gives a reason");
        }
        paths.requireRoot();
        return store.exclusively(MissionSettler.EXCLUSIVE, () -> claimLocked(id, rid, force, why));
    }

    private Claim claimLocked(String id, String rid, boolean force, String why) {
        settler.reconcileLocked();
        Instance me = session.self();
        if (rid != null) {
            for (MissionClaim c : store.missions()) {
                if (c.claimedBy().equals(me.id()) && rid.equals(c.requestId())) {
                    ClaimOutcome replay = store.claimMission(me, new ClaimRequest(List.of(), rid, false, null));
                    if (replay.result() == ClaimOutcome.Result.REPLAYED) {
                        return claimed(replay, true, false);
                    }
                }
            }
        }
        MissionBoard board = lookup.scan();
        Map<String, MissionClaim> records = lookup.records();
        return id == null ? claimBest(board, records, me, rid) : claimOne(board, records, me, id, rid, force, why);
    }

    private Claim claimOne(
            MissionBoard board,
            Map<String, MissionClaim> records,
            Instance me,
            String id,
            String rid,
            boolean force,
            String why) {
        Optional<MissionEntry> found = board.find(id);
        if (found.isEmpty()) {
            Optional<MissionEntry> bad = board.malformed(id);
            if (bad.isPresent()) {
                throw CoordException.invalidArgument(paths.rel(bad.get().file()) + " cannot be read: "
                        + bad.get().problem() + ". Fix the file (or ask the user to), then claim again.");
            }
            throw CoordException.notFound("there is no mission " + id + " in " + paths.rel(paths.root())
                    + " (queue/, active/ or done/). Run status to see the queue, or claim_mission without"
                    + " mission_id to take the best queued mission.");
        }
        MissionEntry e = found.get();
        MissionClaim rec = records.get(id);
        if (rec != null && rec.state() == MissionState.DONE && e.folder() != MissionFolder.DONE) {
            // the shared records are the truth across worktrees: this copy of the file is not
            return refused(
                    Refusal.CONFLICT,
                    MissionLookup.doneElsewhere(rec, lookup.live(), me.worktree()) + ". Pick another one (see next).",
                    null,
                    MissionLookup.best(board, records, id),
                    Sighting.of(e),
                    List.of());
        }
        long rev = rec == null ? 0 : rec.rev();
        boolean recordActive = rec != null && rec.active();
        MissionRef ref;
        switch (e.folder()) {
            case DONE:
                return refused(
                        Refusal.CONFLICT,
                        "mission " + id + " is done (" + paths.rel(e.file()) + "). Pick another one (see next).",
                        null,
                        MissionLookup.best(board, records, id),
                        Sighting.of(e),
                        List.of());
            case ACTIVE:
                ref = recordActive
                        ? MissionRef.queued(id, e.fileName(), rev)
                        : new MissionRef(
                                id,
                                e.fileName(),
                                rev,
                                e.doc().claimedBy().orElse(UNKNOWN_CLAIMER),
                                e.doc()
                                        .claimedAt()
                                        .map(OffsetDateTime::toInstant)
                                        .orElse(null));
                break;
            default:
                List<String> waits = MissionLookup.unmet(e, board);
                if (!waits.isEmpty() && !recordActive) {
                    return refused(
                            Refusal.CONFLICT,
                            "mission " + id + " depends on missions that are not done: " + String.join(", ", waits)
                                    + ". Finish those first, or pick another mission (see next).",
                            null,
                            MissionLookup.best(board, records, id),
                            Sighting.of(e),
                            List.of());
                }
                if (board.occupied(MissionFolder.ACTIVE, e.fileName())) {
                    throw new CoordException(
                            ErrorCode.CONFLICT,
                            "cannot claim " + id + ": " + paths.rel(board.path(MissionFolder.ACTIVE, e.fileName()))
                                    + " already exists, and coord never replaces a file. Ask the user to rename one"
                                    + " of the two files.");
                }
                ref = MissionRef.queued(id, e.fileName(), rev);
        }
        ClaimOutcome out = store.claimMission(me, new ClaimRequest(List.of(ref), rid, force, why));
        return switch (out.result()) {
            case CLAIMED -> claimed(out, false, false);
            case REPLAYED -> claimed(out, true, false);
            case ALREADY_YOURS -> claimed(out, false, true);
            case TAKEN ->
                refused(
                        Refusal.ALREADY_CLAIMED,
                        takenReason(out.missionId(), out.holder(), force),
                        out.holder(),
                        MissionLookup.best(board, records, id),
                        Sighting.of(e),
                        out.notices());
            case DONE ->
                refused(
                        Refusal.CONFLICT,
                        MissionLookup.doneElsewhere(out.claim(), lookup.live(), me.worktree())
                                + ". Pick another one (see next).",
                        null,
                        MissionLookup.best(board, records, id),
                        Sighting.of(e),
                        out.notices());
            case CHANGED, NONE ->
                refused(
                        Refusal.CONFLICT,
                        "mission " + id + " changed while it was being claimed; call claim_mission again.",
                        null,
                        null,
                        Sighting.of(e),
                        out.notices());
        };
    }

    private Claim claimBest(MissionBoard board, Map<String, MissionClaim> records, Instance me, String rid) {
        for (int attempt = 1; ; attempt++) {
            List<MissionEntry> candidates = MissionLookup.claimable(board, records);
            if (candidates.isEmpty()) {
                return refused(Refusal.NOT_FOUND, nothingClaimable(board, records), null, null, null, List.of());
            }
            List<MissionRef> refs = new ArrayList<>();
            for (MissionEntry e : candidates) {
                MissionClaim rec = records.get(e.id());
                refs.add(MissionRef.queued(e.id(), e.fileName(), rec == null ? 0 : rec.rev()));
            }
            ClaimOutcome out = store.claimMission(me, new ClaimRequest(refs, rid, false, null));
            if (out.result() == ClaimOutcome.Result.CLAIMED) {
                return claimed(out, false, false);
            }
            if (out.result() == ClaimOutcome.Result.REPLAYED) {
                return claimed(out, true, false);
            }
            if (attempt >= CLAIM_ATTEMPTS) {
                return refused(
                        Refusal.ALREADY_CLAIMED,
                        "every claimable mission was claimed by other sessions while this call ran; call"
                                + " claim_mission again.",
                        null,
                        null,
                        null,
                        out.notices());
            }
            board = lookup.scan();
            records = lookup.records();
        }
    }

    private Claim claimed(ClaimOutcome out, boolean replayed, boolean alreadyYours) {
        MissionClaim rec = out.claim();
        String warning = null;
        if (!rec.settled()) {
            settler.reached("recorded", rec);
            warning = settler.settle(rec).orElse(null);
        }
        ClaimHolder from = out.result() == ClaimOutcome.Result.CLAIMED ? out.holder() : null;
        return new Claim(
                true,
                overviews.sightingOf(rec),
                null,
                null,
                null,
                null,
                replayed,
                alreadyYours,
                from,
                warning,
                out.notices());
    }

    private static Claim refused(
            Refusal code, String reason, ClaimHolder heldBy, MissionEntry next, Sighting asked, List<Notice> notices) {
        return new Claim(false, asked, code, reason, heldBy, next, false, false, null, null, notices);
    }

    private String takenReason(String id, ClaimHolder h, boolean force) {
        StringBuilder s = new StringBuilder("mission ")
                .append(id)
                .append(" is claimed by ")
                .append(h.instanceId());
        if (h.task() != null) {
            s.append(" (\"").append(h.task()).append("\")");
        }
        if (h.since() != null) {
            s.append(" since ").append(paths.timestamp(h.since()));
        }
        if (!h.alive()) {
            s.append(". That session is gone: the mission is stranded. To resume it, ask the user, then call"
                    + " claim_mission with this mission_id, force: true and a reason; it takes the claim over and"
                    + " logs it.");
        } else if (h.stale()) {
            s.append(". The claim is more than 24 hours old and may be abandoned; with the user's go-ahead,"
                    + " force: true and a reason take it over.");
        } else if (force) {
            s.append(". force takes over only a claim whose session is gone or that is more than 24 hours old;"
                    + " this session is alive: leave the mission to it, or ask the user.");
        } else {
            s.append(". That session is alive: pick another mission (see next).");
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- finish

    /**
     * Ends this session's claim on a mission: {@code done} moves it to {@code done/} with {@code status: DONE},
     * {@code completed_at} and a log line with the summary; {@code give_back} returns it to {@code queue/} with a log
     * line with the reason.
     *
     * @param id the mission, or null for the one mission this session holds
     * @param target {@link MissionState#DONE}, or {@link MissionState#QUEUED} to give it back (needs {@code why})
     * @param summary what was done, for the log, or null
     * @param why the reason, for the log, or null
     * @param force finish another live session's mission (needs {@code why}); a gone session's mission needs no force
     */
    public Finish finish(String id, MissionState target, String summary, String why, boolean force) {
        if (target == MissionState.ACTIVE) {
            throw new IllegalArgumentException("a mission is finished as done or given back, not " + target);
        }
        if ((target == MissionState.QUEUED || force) && why == null) {
            throw new IllegalArgumentException("giving back and forcing need a reason");
        }
        paths.requireRoot();
        return store.exclusively(MissionSettler.EXCLUSIVE, () -> finishLocked(id, target, summary, why, force));
    }

    private Finish finishLocked(String id, MissionState target, String summary, String why, boolean force) {
        settler.reconcileLocked();
        Instance me = session.self();
        Map<String, MissionClaim> records = lookup.records();
        String mid = id != null ? id : onlyMissionOf(me, records);
        MissionClaim rec = records.get(mid);
        MissionBoard board = lookup.scan();
        if (rec == null || !rec.active()) {
            Optional<MissionEntry> e = board.find(mid);
            boolean retry =
                    rec != null && rec.state() == target && rec.changedBy().equals(me.id());
            if (!retry && e.isPresent() && e.get().folder() == MissionFolder.ACTIVE) {
                String by = e.get().doc().claimedBy().orElse(UNKNOWN_CLAIMER);
                throw new CoordException(
                        ErrorCode.NOT_HELD,
                        paths.rel(e.get().file()) + " was claimed outside coord (claimed_by: " + by + "). Call"
                                + " claim_mission with mission_id " + mid + (by.equals(me.id()) ? "" : ", force: true")
                                + " and a reason first; then finish it.");
            }
            if (rec == null) {
                if (e.isPresent()) {
                    throw new CoordException(
                            ErrorCode.NOT_HELD,
                            "mission " + mid + " is not claimed: its file is "
                                    + paths.rel(e.get().file())
                                    + ". Only a claimed mission can be completed or given back.");
                }
                throw CoordException.notFound("there is no mission " + mid + " in " + paths.rel(paths.root())
                        + ". Run status to see the active missions.");
            }
        } else {
            MissionFolder to = target == MissionState.DONE ? MissionFolder.DONE : MissionFolder.QUEUE;
            if (board.occupied(to, rec.file())) {
                throw new CoordException(
                        ErrorCode.CONFLICT,
                        "cannot move mission " + mid + ": " + paths.rel(board.path(to, rec.file()))
                                + " already exists, and coord never replaces a file. Ask the user to rename one of"
                                + " the two files.");
            }
            Path file = board.path(MissionFolder.ACTIVE, rec.file());
            if (Files.exists(file)) {
                MissionEntry now = MissionBoard.parse(file, MissionFolder.ACTIVE);
                if (!now.valid()) {
                    throw CoordException.invalidArgument(paths.rel(file) + " cannot be read: " + now.problem()
                            + ". Fix the file, then finish the mission.");
                }
            }
        }
        FinishOutcome out = store.finishMission(me, new FinishRequest(mid, target, summary, why, force));
        String warning = null;
        if (!out.claim().settled()) {
            settler.reached("recorded", out.claim());
            warning = settler.settle(out.claim()).orElse(null);
        }
        return new Finish(
                mid,
                target,
                overviews.sightingOf(out.claim()),
                out.replayed(),
                out.holder() == null ? null : out.holder().instanceId(),
                warning,
                out.notices());
    }

    private String onlyMissionOf(Instance me, Map<String, MissionClaim> records) {
        List<String> mine = new ArrayList<>();
        for (MissionClaim c : records.values()) {
            if (c.active() && c.claimedBy().equals(me.id())) {
                mine.add(c.missionId());
            }
        }
        if (mine.isEmpty()) {
            throw CoordException.notFound("this session holds no mission; give the mission_id of the one to finish"
                    + " (run status to see the active missions)");
        }
        if (mine.size() > 1) {
            throw CoordException.invalidArgument(
                    "this session holds several missions (" + String.join(", ", mine) + "): give mission_id");
        }
        return mine.get(0);
    }

    private String nothingClaimable(MissionBoard board, Map<String, MissionClaim> records) {
        List<MissionEntry> queue = board.entries(MissionFolder.QUEUE);
        if (queue.isEmpty()) {
            return "the queue is empty: " + paths.rel(paths.root().resolve(MissionFolder.QUEUE.dirName()))
                    + " has no mission files. Ask the user what to work on.";
        }
        int blocked = 0;
        int held = 0;
        int broken = 0;
        int clash = 0;
        String example = null;
        for (MissionEntry e : queue) {
            MissionClaim rec = records.get(e.id());
            if (!e.valid()) {
                broken++;
            } else if (rec != null && rec.active()) {
                held++;
            } else if (!MissionLookup.unmet(e, board).isEmpty()) {
                blocked++;
                if (example == null) {
                    example = e.id() + " waits for " + String.join(", ", MissionLookup.unmet(e, board));
                }
            } else {
                clash++;
            }
        }
        List<String> parts = new ArrayList<>();
        if (blocked > 0) {
            parts.add(blocked + " wait for their depends_on (e.g. " + example + ")");
        }
        if (held > 0) {
            parts.add(held + " are claimed by sessions although their file is in queue/");
        }
        if (broken > 0) {
            parts.add(broken + " cannot be read (see status: malformed)");
        }
        if (clash > 0) {
            parts.add(clash + " have a file of the same name in active/");
        }
        return "no queued mission can be claimed now: of " + queue.size() + " queued, " + String.join("; ", parts)
                + ". Tell the user.";
    }

    // ---------------------------------------------------------------- overview and settling

    /**
     * The missions folder at a glance, or null when it does not exist. Finishes first any file step a crashed
     * process left undone.
     *
     * @param snap the store's state now: its live instances decide who is stranded
     */
    public Overview overview(Snapshot snap) {
        return overviews.overview(snap);
    }

    /** The missions this session holds (for the end of a session). */
    public List<Sighting> mine() {
        return overviews.mine();
    }

    /**
     * Deletes temp files left by writers that died and settles every record whose file does not match it yet. The
     * server calls it at start; every operation does the same first.
     *
     * @return what could not be settled, one line each (also logged)
     */
    public List<String> reconcile() {
        return settler.reconcile();
    }
}
