package dev.coord.engine.service;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.Session;
import dev.coord.engine.mission.MissionBoard;
import dev.coord.engine.mission.MissionDocument;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.mission.MissionFileOps;
import dev.coord.engine.mission.MissionFolder;
import dev.coord.engine.mission.MissionFormat;
import dev.coord.engine.mission.MissionFormatException;
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
import dev.coord.engine.service.MissionViews.Active;
import dev.coord.engine.service.MissionViews.Candidate;
import dev.coord.engine.service.MissionViews.ClaimResult;
import dev.coord.engine.service.MissionViews.FinishResult;
import dev.coord.engine.service.MissionViews.Holder;
import dev.coord.engine.service.MissionViews.Malformed;
import dev.coord.engine.service.MissionViews.Mission;
import dev.coord.engine.service.MissionViews.Objective;
import dev.coord.engine.service.MissionViews.Overview;
import dev.coord.engine.store.CoordStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *   <li>settle the record: for a claim, move the file from {@code queue/} to {@code active/} (never over an existing
 *       file), then stamp it (status, {@code claimed_at}, {@code claimed_by}, a log line) through a temp file renamed
 *       over it; for done or give back, stamp first, then move; then mark the record settled.
 * </ol>
 *
 * Each step can be repeated: a file that is already moved is not moved again, a file already stamped for this record
 * is not stamped again. See {@code docs/missions.md} for the crash cases.
 */
public final class MissionService {
    private static final Logger LOG = LoggerFactory.getLogger(MissionService.class);

    /** The name of the store's exclusive section that every mission file change runs in. */
    public static final String EXCLUSIVE = "missions";

    public static final int MAX_ID = 200;
    public static final int MAX_REQUEST_ID = 200;
    public static final int MAX_REASON = 500;
    public static final int MAX_SUMMARY = 2000;
    public static final int MAX_OBJECTIVES = 30;
    public static final int MAX_OBJECTIVE_TEXT = 200;
    public static final int MAX_NEXT = 5;
    public static final int MAX_ACTIVE = 20;
    public static final int MAX_MALFORMED = 10;
    /** The holder of a file in {@code active/} that names no claimer. */
    public static final String UNKNOWN_CLAIMER = "unknown";

    private static final int CLAIM_ATTEMPTS = 3;
    private static final int STAMP_ATTEMPTS = 5;

    /** Called after each step of an operation; tests use it to stop a process half-way. */
    @FunctionalInterface
    public interface Steps {
        Steps NONE = (step, record) -> {};

        /**
         * @param step {@code recorded} (the store decided), {@code moved}, {@code stamped}
         * @param record the record being settled
         */
        void reached(String step, MissionClaim record);
    }

    private final CoordStore store;
    private final Session session;
    private final Path repoRoot;
    private final Path root;
    private final ZoneId zone;
    private final Steps steps;
    private final boolean durable;

    /**
     * @param repoRoot paths in results are relative to it
     * @param root the missions folder (holding {@code queue/}, {@code active/}, {@code done/})
     * @param zone the zone of the times written into mission files
     * @param durable force moves and rewrites of mission files to disk (directories included), so that they survive
     *     a power loss; without it a power loss may undo a move or a stamp, never tear a file
     */
    public MissionService(
            CoordStore store, Session session, Path repoRoot, Path root, ZoneId zone, Steps steps, boolean durable) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
        this.repoRoot = Objects.requireNonNull(repoRoot, "repoRoot");
        this.root = Objects.requireNonNull(root, "root");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.steps = Objects.requireNonNull(steps, "steps");
        this.durable = durable;
    }

    public MissionService(CoordStore store, Session session, Path repoRoot, Path root, ZoneId zone, Steps steps) {
        this(store, session, repoRoot, root, zone, steps, false);
    }

    public MissionService(CoordStore store, Session session, Path repoRoot, Path root) {
        this(store, session, repoRoot, root, ZoneId.systemDefault(), Steps.NONE, false);
    }

    /** The missions folder. */
    public Path root() {
        return root;
    }

    /** Whether the missions folder exists (else missions are off: status leaves them out). */
    public boolean available() {
        return Files.isDirectory(root);
    }

    // ---------------------------------------------------------------- claim

    /**
     * Claims a mission: the one named, or the best queued one (highest priority, then oldest, skipping missions whose
     * {@code depends_on} are not all done).
     *
     * @param requestId the caller's id for this request; a retry with the same id returns the same claim
     * @param force take over a mission whose claimer is gone or whose claim is older than 24 hours (needs
     *     {@code missionId} and {@code reason})
     */
    public ClaimResult claim(String missionId, String requestId, boolean force, String reason) {
        String id = optional("mission_id", missionId, MAX_ID);
        String rid = optional("request_id", requestId, MAX_REQUEST_ID);
        String why = optional("reason", reason, MAX_REASON);
        if (force && why == null) {
            throw CoordException.invalidArgument(
                    "force: true needs a reason: it is written to the mission's execution log and the audit log");
        }
        if (force && id == null) {
            throw CoordException.invalidArgument("force: true takes over one mission: give its mission_id");
        }
        requireRoot();
        return store.exclusively(EXCLUSIVE, () -> claimLocked(id, rid, force, why));
    }

    private ClaimResult claimLocked(String id, String rid, boolean force, String why) {
        reconcileLocked();
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
        MissionBoard board = scan();
        Map<String, MissionClaim> records = records();
        return id == null ? claimBest(board, records, me, rid) : claimOne(board, records, me, id, rid, force, why);
    }

    private ClaimResult claimOne(
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
                throw CoordException.invalidArgument(rel(bad.get().file()) + " cannot be read: "
                        + bad.get().problem() + ". Fix the file (or ask the user to), then claim again.");
            }
            throw CoordException.notFound("there is no mission " + id + " in " + rel(root)
                    + " (queue/, active/ or done/). Run status to see the queue, or claim_mission without"
                    + " mission_id to take the best queued mission.");
        }
        MissionEntry e = found.get();
        MissionClaim rec = records.get(id);
        if (rec != null && rec.state() == MissionState.DONE && e.folder() != MissionFolder.DONE) {
            return refused(
                    "CONFLICT",
                    doneElsewhere(rec, liveInstances()) + ". Pick another one (see next).",
                    null,
                    best(board, records, id),
                    view(e.doc(), e.file()),
                    List.of());
        }
        long rev = rec == null ? 0 : rec.rev();
        boolean recordActive = rec != null && rec.active();
        MissionRef ref;
        switch (e.folder()) {
            case DONE:
                return refused(
                        "CONFLICT",
                        "mission " + id + " is done (" + rel(e.file()) + "). Pick another one (see next).",
                        null,
                        best(board, records, id),
                        view(e.doc(), e.file()),
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
                List<String> waits = unmet(e, board);
                if (!waits.isEmpty() && !recordActive) {
                    return refused(
                            "CONFLICT",
                            "mission " + id + " depends on missions that are not done: " + String.join(", ", waits)
                                    + ". Finish those first, or pick another mission (see next).",
                            null,
                            best(board, records, id),
                            view(e.doc(), e.file()),
                            List.of());
                }
                if (board.occupied(MissionFolder.ACTIVE, e.fileName())) {
                    throw new CoordException(
                            ErrorCode.CONFLICT,
                            "cannot claim " + id + ": " + rel(board.path(MissionFolder.ACTIVE, e.fileName()))
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
                        "ALREADY_CLAIMED",
                        takenReason(out.missionId(), out.holder(), force),
                        holder(out.holder()),
                        best(board, records, id),
                        view(e.doc(), e.file()),
                        out.notices());
            case DONE ->
                refused(
                        "CONFLICT",
                        doneElsewhere(out.claim(), liveInstances()) + ". Pick another one (see next).",
                        null,
                        best(board, records, id),
                        view(e.doc(), e.file()),
                        out.notices());
            case CHANGED, NONE ->
                refused(
                        "CONFLICT",
                        "mission " + id + " changed while it was being claimed; call claim_mission again.",
                        null,
                        null,
                        view(e.doc(), e.file()),
                        out.notices());
        };
    }

    private ClaimResult claimBest(MissionBoard board, Map<String, MissionClaim> records, Instance me, String rid) {
        for (int attempt = 1; ; attempt++) {
            List<MissionEntry> candidates = claimable(board, records);
            if (candidates.isEmpty()) {
                return refused("NOT_FOUND", nothingClaimable(board, records), null, null, null, List.of());
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
                        "ALREADY_CLAIMED",
                        "every claimable mission was claimed by other sessions while this call ran; call"
                                + " claim_mission again.",
                        null,
                        null,
                        null,
                        out.notices());
            }
            board = scan();
            records = records();
        }
    }

    private ClaimResult claimed(ClaimOutcome out, boolean replayed, boolean alreadyYours) {
        MissionClaim rec = out.claim();
        String warning = null;
        if (!rec.settled()) {
            steps.reached("recorded", rec);
            warning = settle(rec).orElse(null);
        }
        Holder from = out.result() == ClaimOutcome.Result.CLAIMED && out.holder() != null ? holder(out.holder()) : null;
        return new ClaimResult(
                true,
                viewOf(rec),
                null,
                null,
                null,
                null,
                replayed ? Boolean.TRUE : null,
                alreadyYours ? Boolean.TRUE : null,
                from,
                warning,
                messages(out.notices()));
    }

    private ClaimResult refused(
            String code, String reason, Holder heldBy, Candidate next, Mission asked, List<Notice> notices) {
        return new ClaimResult(false, asked, code, reason, heldBy, next, null, null, null, null, messages(notices));
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
            s.append(" since ").append(timestamp(h.since()));
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
     * @param missionId the mission, or null for the one mission this session holds
     * @param outcome {@code done} or {@code give_back}
     * @param force finish another live session's mission (needs a reason); a gone session's mission needs no force
     */
    public FinishResult finish(String missionId, String outcome, String summary, String reason, boolean force) {
        MissionState target = parseOutcome(outcome);
        String id = optional("mission_id", missionId, MAX_ID);
        String text = optional("summary", summary, MAX_SUMMARY);
        String why = optional("reason", reason, MAX_REASON);
        if (target == MissionState.QUEUED && why == null) {
            throw CoordException.invalidArgument("give_back needs a reason: it is written to the mission's execution"
                    + " log for whoever picks the mission up next");
        }
        if (force && why == null) {
            throw CoordException.invalidArgument(
                    "force: true needs a reason: it is written to the mission's execution log and the audit log");
        }
        requireRoot();
        return store.exclusively(EXCLUSIVE, () -> finishLocked(id, target, text, why, force));
    }

    private FinishResult finishLocked(String id, MissionState target, String summary, String why, boolean force) {
        reconcileLocked();
        Instance me = session.self();
        Map<String, MissionClaim> records = records();
        String mid = id != null ? id : onlyMissionOf(me, records);
        MissionClaim rec = records.get(mid);
        MissionBoard board = scan();
        if (rec == null || !rec.active()) {
            Optional<MissionEntry> e = board.find(mid);
            boolean retry =
                    rec != null && rec.state() == target && rec.changedBy().equals(me.id());
            if (!retry && e.isPresent() && e.get().folder() == MissionFolder.ACTIVE) {
                String by = e.get().doc().claimedBy().orElse(UNKNOWN_CLAIMER);
                throw new CoordException(
                        ErrorCode.NOT_HELD,
                        rel(e.get().file()) + " was claimed outside coord (claimed_by: " + by + "). Call"
                                + " claim_mission with mission_id " + mid + (by.equals(me.id()) ? "" : ", force: true")
                                + " and a reason first; then finish it.");
            }
            if (rec == null) {
                if (e.isPresent()) {
                    throw new CoordException(
                            ErrorCode.NOT_HELD,
                            "mission " + mid + " is not claimed: its file is "
                                    + rel(e.get().file()) + ". Only a claimed mission can be completed or given back.");
                }
                throw CoordException.notFound(
                        "there is no mission " + mid + " in " + rel(root) + ". Run status to see the active missions.");
            }
        } else {
            MissionFolder to = target == MissionState.DONE ? MissionFolder.DONE : MissionFolder.QUEUE;
            if (board.occupied(to, rec.file())) {
                throw new CoordException(
                        ErrorCode.CONFLICT,
                        "cannot move mission " + mid + ": " + rel(board.path(to, rec.file()))
                                + " already exists, and coord never replaces a file. Ask the user to rename one of"
                                + " the two files.");
            }
            Path file = board.path(MissionFolder.ACTIVE, rec.file());
            if (Files.exists(file)) {
                MissionEntry now = MissionBoard.parse(file, MissionFolder.ACTIVE);
                if (!now.valid()) {
                    throw CoordException.invalidArgument(rel(file) + " cannot be read: " + now.problem()
                            + ". Fix the file, then finish the mission.");
                }
            }
        }
        FinishOutcome out = store.finishMission(me, new FinishRequest(mid, target, summary, why, force));
        String warning = null;
        if (!out.claim().settled()) {
            steps.reached("recorded", out.claim());
            warning = settle(out.claim()).orElse(null);
        }
        return new FinishResult(
                mid,
                target == MissionState.DONE ? "done" : "give_back",
                viewOf(out.claim()),
                out.replayed() ? Boolean.TRUE : null,
                out.holder() == null ? null : out.holder().instanceId(),
                warning,
                messages(out.notices()));
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

    private static MissionState parseOutcome(String outcome) {
        if (outcome == null) {
            throw CoordException.invalidArgument("outcome is required: \"done\" or \"give_back\"");
        }
        return switch (outcome.strip().toLowerCase(Locale.ROOT)) {
            case "done" -> MissionState.DONE;
            case "give_back" -> MissionState.QUEUED;
            default ->
                throw CoordException.invalidArgument(
                        "outcome must be \"done\" or \"give_back\", got \"" + outcome + "\"");
        };
    }

    // ---------------------------------------------------------------- overview

    /**
     * The missions part of {@code status}, or null when the missions folder does not exist. Finishes first any file
     * step a crashed process left undone.
     *
     * @param snap the store's state now: its live instances decide who is stranded
     */
    public Overview overview(Snapshot snap) {
        if (!available()) {
            return null;
        }
        reconcileIfNeeded();
        MissionBoard board = scan();
        Map<String, MissionClaim> records = records();
        Map<String, Instance> live = new HashMap<>();
        snap.instances().forEach(i -> live.put(i.id(), i));
        Instant now = snap.at();
        String me = session.id();

        List<Candidate> next = new ArrayList<>();
        for (MissionEntry e : claimable(board, records)) {
            if (next.size() == MAX_NEXT) {
                break;
            }
            next.add(candidate(e));
        }
        int blocked = 0;
        for (MissionEntry e : board.entries(MissionFolder.QUEUE)) {
            MissionClaim rec = records.get(e.id());
            if (e.valid() && !(rec != null && rec.active()) && !unmet(e, board).isEmpty()) {
                blocked++;
            }
        }

        List<Active> active = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (MissionEntry e : board.entries(MissionFolder.ACTIVE)) {
            if (!e.valid()) {
                continue;
            }
            listed.add(e.id());
            MissionClaim rec = records.get(e.id());
            boolean recorded = rec != null && rec.active();
            String holder = recorded ? rec.claimedBy() : e.doc().claimedBy().orElse(UNKNOWN_CLAIMER);
            Instant since = recorded
                    ? rec.claimedAt()
                    : e.doc().claimedAt().map(OffsetDateTime::toInstant).orElse(null);
            String note = recorded ? null : "claimed outside coord; claim_mission adopts it (force if not yours)";
            active.add(active(e.id(), e.doc().title(), e.file(), holder, rec, since, live, now, me, note));
        }
        for (MissionClaim rec : records.values()) {
            if (!rec.active() || listed.contains(rec.missionId())) {
                continue;
            }
            Optional<MissionEntry> e = board.find(rec.missionId());
            Instance claimer = live.get(rec.claimedBy());
            String there = claimer == null ? null : claimer.worktree();
            String note;
            if (e.isPresent() && there != null && !there.equals(session.self().worktree())) {
                note = "claimed in the worktree " + there + ", where its file is in active/; this worktree's copy is"
                        + " in " + e.get().folder().dirName() + "/ until that branch is merged here";
            } else if (e.isPresent()) {
                note = "claimed in coord, but the file is in "
                        + e.get().folder().dirName() + "/ here (moved by hand,"
                        + " or claimed in another worktree); finish_mission, or a move back to active/, puts it right";
            } else {
                note = "claimed in coord, but no file of this mission was found";
            }
            active.add(active(
                    rec.missionId(),
                    e.map(x -> x.doc().title()).orElse(rec.missionId()),
                    e.map(MissionEntry::file).orElse(null),
                    rec.claimedBy(),
                    rec,
                    rec.claimedAt(),
                    live,
                    now,
                    me,
                    note));
        }
        active.sort(Comparator.comparing(Active::ageS, Comparator.nullsLast(Comparator.reverseOrder())));
        List<Malformed> malformed = new ArrayList<>();
        List<MissionEntry> problems = board.problems();
        for (MissionEntry e : problems.subList(0, Math.min(MAX_MALFORMED, problems.size()))) {
            malformed.add(new Malformed(rel(e.file()), e.problem()));
        }
        List<Malformed> differences = new ArrayList<>();
        for (MissionEntry e : board.entries(MissionFolder.QUEUE)) {
            MissionClaim rec = records.get(e.id());
            if (e.valid() && rec != null && rec.state() == MissionState.DONE && differences.size() < MAX_MALFORMED) {
                differences.add(new Malformed(rel(e.file()), doneElsewhere(rec, live)));
            }
        }
        return new Overview(
                rel(root),
                board.entries(MissionFolder.QUEUE).size(),
                next,
                blocked,
                active.subList(0, Math.min(MAX_ACTIVE, active.size())),
                Math.max(0, active.size() - MAX_ACTIVE),
                board.entries(MissionFolder.DONE).size(),
                malformed,
                problems.size() - malformed.size(),
                differences);
    }

    /**
     * What a done record means for a copy of its file outside {@code done/} here: it was completed, by whom, when, and
     * where its file moved; coord moves files only in the worktree of the session that finishes the mission.
     */
    private String doneElsewhere(MissionClaim rec, Map<String, Instance> live) {
        Instance by = live.get(rec.changedBy());
        String where = by != null
                        && by.worktree() != null
                        && !by.worktree().equals(session.self().worktree())
                ? " in the worktree " + by.worktree()
                : " in another worktree or by hand";
        return "mission " + rec.missionId() + " was completed by " + rec.changedBy() + " at "
                + timestamp(rec.changedAt()) + where + ", where its file moved to done/; this worktree's copy is still"
                + " outside done/ until that branch is merged here, and a done mission is never claimed again";
    }

    private Map<String, Instance> liveInstances() {
        Map<String, Instance> live = new HashMap<>();
        store.read().instances().forEach(i -> live.put(i.id(), i));
        return live;
    }

    private Active active(
            String id,
            String title,
            Path file,
            String holder,
            MissionClaim rec,
            Instant since,
            Map<String, Instance> live,
            Instant now,
            String me,
            String note) {
        Instance claimer = live.get(holder);
        String task = claimer != null && claimer.task() != null
                ? claimer.task()
                : rec != null && holder.equals(rec.claimedBy()) ? rec.claimedTask() : null;
        Long age =
                since == null ? null : Math.max(0, Duration.between(since, now).toSeconds());
        boolean stale = since != null && !since.plus(MissionClaim.STALE_AFTER).isAfter(now);
        return new Active(
                id,
                title,
                file == null ? null : rel(file),
                holder,
                task,
                since == null ? null : timestamp(since),
                age,
                holder.equals(me) ? Boolean.TRUE : null,
                claimer == null ? Boolean.TRUE : null,
                stale ? Boolean.TRUE : null,
                note);
    }

    /** The missions this session holds, with their objectives (for the end of a session). */
    public List<Mission> mine() {
        if (!available()) {
            return List.of();
        }
        reconcileIfNeeded();
        String me = session.id();
        List<Mission> out = new ArrayList<>();
        MissionBoard board = scan();
        Map<String, MissionClaim> records = records();
        for (MissionClaim rec : records.values()) {
            if (rec.active() && rec.claimedBy().equals(me)) {
                out.add(viewOf(rec));
            }
        }
        for (MissionEntry e : board.entries(MissionFolder.ACTIVE)) {
            MissionClaim rec = records.get(e.id());
            if (e.valid()
                    && (rec == null || !rec.active())
                    && e.doc().claimedBy().filter(me::equals).isPresent()) {
                out.add(view(e.doc(), e.file()));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- reconcile and settle

    /**
     * Deletes temp files left by writers that died and settles every record whose file does not match it yet. The
     * server calls it at start; every operation does the same first.
     *
     * @return what could not be settled, one line each (also logged)
     */
    public List<String> reconcile() {
        if (!available()) {
            return List.of();
        }
        return store.exclusively(EXCLUSIVE, this::reconcileLocked);
    }

    private void reconcileIfNeeded() {
        if (store.missions().stream().anyMatch(Predicate.not(MissionClaim::settled))) {
            store.exclusively(EXCLUSIVE, this::reconcileLocked);
        }
    }

    private List<String> reconcileLocked() {
        for (MissionFolder folder : MissionFolder.values()) {
            try {
                int removed = MissionFileOps.deleteOrphanTemps(root.resolve(folder.dirName()));
                if (removed > 0) {
                    LOG.info("removed {} temp file(s) of interrupted writes in {}", removed, folder.dirName());
                }
            } catch (IOException e) {
                LOG.warn("cannot clean temp files of {}: {}", folder.dirName(), e.toString());
            }
        }
        List<String> problems = new ArrayList<>();
        for (MissionClaim rec : store.missions()) {
            if (!rec.settled()) {
                settle(rec).ifPresent(problems::add);
            }
        }
        return problems;
    }

    /**
     * Brings the file in line with the record, then marks the record settled. Runs inside the exclusive section.
     *
     * @return what went wrong, or empty when the record is settled now
     */
    private Optional<String> settle(MissionClaim rec) {
        Path queued = root.resolve(MissionFolder.QUEUE.dirName()).resolve(rec.file());
        Path active = root.resolve(MissionFolder.ACTIVE.dirName()).resolve(rec.file());
        Path done = root.resolve(MissionFolder.DONE.dirName()).resolve(rec.file());
        try {
            switch (rec.state()) {
                case ACTIVE -> {
                    if (!exists(active) && exists(queued)) {
                        MissionFileOps.moveNoReplace(queued, active, durable);
                        steps.reached("moved", rec);
                    }
                    if (!exists(active)) {
                        return problem(rec, "its file is neither in queue/ nor in active/");
                    }
                    stamp(active, rec, doc -> claimStamped(doc, rec), doc -> claimStamp(doc, rec));
                    steps.reached("stamped", rec);
                }
                case DONE, QUEUED -> {
                    Path target = rec.state() == MissionState.DONE ? done : queued;
                    Path from = exists(active)
                            ? active
                            : rec.state() == MissionState.DONE && exists(queued) ? queued : null;
                    if (from != null) {
                        if (rec.state() == MissionState.DONE) {
                            stamp(from, rec, MissionService::doneStamped, doc -> doneStamp(doc, rec));
                        } else {
                            stamp(from, rec, MissionService::queueStamped, doc -> giveBackStamp(doc, rec));
                        }
                        steps.reached("stamped", rec);
                        MissionFileOps.moveNoReplace(from, target, durable);
                        steps.reached("moved", rec);
                    } else if (!exists(target)) {
                        return problem(rec, "its file is in none of the folders");
                    }
                }
            }
        } catch (FileAlreadyExistsException e) {
            return problem(rec, "cannot move it: " + rel(Path.of(e.getFile())) + " already exists");
        } catch (MissionFormatException e) {
            return problem(rec, rel(e.file()) + " cannot be read: line " + e.line() + ": " + e.problem());
        } catch (IOException | UncheckedIOException e) {
            return problem(rec, "file operation failed: " + e.getMessage());
        }
        store.settleMission(rec.missionId(), rec.rev());
        return Optional.empty();
    }

    private Optional<String> problem(MissionClaim rec, String what) {
        String msg = "mission " + rec.missionId() + " (" + rec.state().wireName() + " since " + rec.changedAt() + "): "
                + what + "; coord retries on every mission call";
        LOG.warn(msg);
        return Optional.of(msg);
    }

    /**
     * Rewrites the file of {@code rec} with {@code edit} unless {@code done} says it already has the change. A file of
     * that name that is another mission (a file put there by hand) is left alone.
     */
    private void stamp(
            Path file,
            MissionClaim rec,
            Predicate<MissionDocument> done,
            Function<MissionDocument, MissionDocument> edit)
            throws IOException {
        for (int attempt = 0; attempt < STAMP_ATTEMPTS; attempt++) {
            byte[] before = Files.readAllBytes(file);
            MissionDocument doc = MissionDocument.parse(file, before);
            if (!doc.missionId().equals(rec.missionId())) {
                throw new IOException(
                        file.getFileName() + " is mission " + doc.missionId() + ", not " + rec.missionId());
            }
            if (done.test(doc)) {
                return;
            }
            if (MissionFileOps.replaceIfUnchanged(file, before, edit.apply(doc).toBytes(), durable)) {
                return;
            }
        }
        throw new IOException(file + " kept changing while coord tried to update it");
    }

    private static boolean claimStamped(MissionDocument doc, MissionClaim rec) {
        return doc.status().filter("ACTIVE"::equalsIgnoreCase).isPresent()
                && doc.claimedBy().filter(rec.claimedBy()::equals).isPresent();
    }

    private static boolean doneStamped(MissionDocument doc) {
        return doc.status().filter("DONE"::equalsIgnoreCase).isPresent()
                && doc.completedAt().isPresent();
    }

    private static boolean queueStamped(MissionDocument doc) {
        return doc.status().filter("QUEUED"::equalsIgnoreCase).isPresent();
    }

    private MissionDocument claimStamp(MissionDocument doc, MissionClaim rec) {
        ZonedDateTime at = rec.claimedAt().atZone(zone);
        String line = rec.takenFrom() == null
                ? MissionFormat.claimedLine(at.toLocalTime(), rec.claimedBy(), rec.claimedTask())
                : MissionFormat.logLine(
                        at.toLocalTime(),
                        "TAKEN OVER",
                        "by " + rec.claimedBy() + task(rec.claimedTask()) + " from " + rec.takenFrom()
                                + (rec.reason() == null ? "" : ": " + rec.reason()));
        return doc.withField(MissionFormat.STATUS, "ACTIVE")
                .withField(MissionFormat.CLAIMED_AT, MissionFormat.timestamp(at.toOffsetDateTime()))
                .withField(MissionFormat.CLAIMED_BY, rec.claimedBy())
                .withLogEntry(at.toLocalDate(), line);
    }

    private MissionDocument doneStamp(MissionDocument doc, MissionClaim rec) {
        ZonedDateTime at = rec.changedAt().atZone(zone);
        String detail = "by " + rec.changedBy()
                + (rec.takenFrom() == null ? "" : " for " + rec.takenFrom() + reasonInParens(rec.reason()))
                + (rec.summary() == null ? "" : ": " + rec.summary());
        return doc.withField(MissionFormat.STATUS, "DONE")
                .withField(MissionFormat.COMPLETED_AT, MissionFormat.timestamp(at.toOffsetDateTime()))
                .withLogEntry(at.toLocalDate(), MissionFormat.logLine(at.toLocalTime(), "COMPLETED", detail));
    }

    private MissionDocument giveBackStamp(MissionDocument doc, MissionClaim rec) {
        ZonedDateTime at = rec.changedAt().atZone(zone);
        String detail = "by " + rec.changedBy() + (rec.takenFrom() == null ? "" : " for " + rec.takenFrom())
                + (rec.reason() == null ? "" : ": " + rec.reason());
        return doc.withField(MissionFormat.STATUS, "QUEUED")
                .withoutValue(MissionFormat.CLAIMED_AT)
                .withoutValue(MissionFormat.CLAIMED_BY)
                .withLogEntry(at.toLocalDate(), MissionFormat.logLine(at.toLocalTime(), "GIVEN BACK", detail));
    }

    private static String task(String task) {
        return task == null || task.isBlank() ? "" : " (\"" + task.strip() + "\")";
    }

    private static String reasonInParens(String reason) {
        return reason == null ? "" : " (" + reason + ")";
    }

    // ---------------------------------------------------------------- reading

    private MissionBoard scan() {
        try {
            return MissionBoard.scan(root);
        } catch (IOException e) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read the missions folder " + root + ": " + dev.coord.engine.IoProblems.describe(e),
                    e);
        }
    }

    private Map<String, MissionClaim> records() {
        Map<String, MissionClaim> out = new LinkedHashMap<>();
        store.missions().forEach(c -> out.put(c.missionId(), c));
        return out;
    }

    /** Queued missions that can be claimed now, best first. */
    private static List<MissionEntry> claimable(MissionBoard board, Map<String, MissionClaim> records) {
        List<MissionEntry> out = new ArrayList<>();
        for (MissionEntry e : board.entries(MissionFolder.QUEUE)) {
            MissionClaim rec = records.get(e.id());
            if (e.valid()
                    && !(rec != null && (rec.active() || rec.state() == MissionState.DONE))
                    && unmet(e, board).isEmpty()
                    && !board.occupied(MissionFolder.ACTIVE, e.fileName())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(MissionEntry::doc, MissionFormat.BY_PRIORITY));
        return out;
    }

    private Candidate best(MissionBoard board, Map<String, MissionClaim> records, String except) {
        for (MissionEntry e : claimable(board, records)) {
            if (!e.id().equals(except)) {
                return candidate(e);
            }
        }
        return null;
    }

    private Candidate candidate(MissionEntry e) {
        return new Candidate(e.id(), e.doc().title(), priority(e.doc()), rel(e.file()));
    }

    /** The {@code depends_on} of a queued mission that are not in {@code done/}, each with where it is. */
    private static List<String> unmet(MissionEntry e, MissionBoard board) {
        List<String> out = new ArrayList<>();
        for (String dep : e.doc().dependsOn()) {
            if (board.isDone(dep)) {
                continue;
            }
            String where = board.find(dep)
                    .map(x -> x.folder() == MissionFolder.ACTIVE ? "active" : "queued")
                    .orElse("no such mission");
            out.add(dep + " (" + where + ")");
        }
        return out;
    }

    private String nothingClaimable(MissionBoard board, Map<String, MissionClaim> records) {
        List<MissionEntry> queue = board.entries(MissionFolder.QUEUE);
        if (queue.isEmpty()) {
            return "the queue is empty: " + rel(root.resolve(MissionFolder.QUEUE.dirName()))
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
            } else if (!unmet(e, board).isEmpty()) {
                blocked++;
                if (example == null) {
                    example = e.id() + " waits for " + String.join(", ", unmet(e, board));
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

    private Mission viewOf(MissionClaim rec) {
        MissionFolder folder =
                switch (rec.state()) {
                    case ACTIVE -> MissionFolder.ACTIVE;
                    case DONE -> MissionFolder.DONE;
                    case QUEUED -> MissionFolder.QUEUE;
                };
        Path file = root.resolve(folder.dirName()).resolve(rec.file());
        if (Files.isRegularFile(file)) {
            MissionEntry e = MissionBoard.parse(file, folder);
            if (e.valid()) {
                return view(e.doc(), file);
            }
        }
        return new Mission(
                rec.missionId(),
                rel(file),
                rec.missionId(),
                rec.state().name(),
                null,
                rec.claimedBy(),
                timestamp(rec.claimedAt()),
                null,
                null);
    }

    private Mission view(MissionDocument doc, Path file) {
        List<Objective> objectives = new ArrayList<>();
        for (dev.coord.engine.mission.Objective o : doc.objectives()) {
            if (objectives.size() == MAX_OBJECTIVES) {
                break;
            }
            String text = o.text().length() > MAX_OBJECTIVE_TEXT
                    ? o.text().substring(0, MAX_OBJECTIVE_TEXT) + "..."
                    : o.text();
            objectives.add(new Objective(text, o.done()));
        }
        return new Mission(
                doc.missionId(),
                rel(file),
                doc.title(),
                doc.status().orElse(null),
                priority(doc),
                doc.claimedBy().orElse(null),
                doc.claimedAt().map(MissionFormat::timestamp).orElse(null),
                doc.completedAt().orElse(null),
                objectives);
    }

    private static Integer priority(MissionDocument doc) {
        return doc.priority() == MissionFormat.DEFAULT_PRIORITY ? null : doc.priority();
    }

    private Holder holder(ClaimHolder h) {
        return h == null
                ? null
                : new Holder(
                        h.instanceId(),
                        h.task(),
                        h.since() == null ? null : timestamp(h.since()),
                        h.alive(),
                        h.stale());
    }

    private String timestamp(Instant at) {
        return MissionFormat.timestamp(OffsetDateTime.ofInstant(at, zone));
    }

    /** A path for a model: relative to the repository root when inside it, with {@code /}. */
    private String rel(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path base = repoRoot.toAbsolutePath().normalize();
        Path shown = abs.startsWith(base) ? base.relativize(abs) : abs;
        String text = shown.toString().replace('\\', '/');
        return text.isEmpty() ? "." : text;
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private void requireRoot() {
        if (!available()) {
            throw CoordException.notFound("there is no missions folder at " + rel(root) + " (with queue/, active/,"
                    + " done/). Missions are off in this repository; the user can create it or set"
                    + " COORD_MISSIONS_DIR.");
        }
    }

    private static List<String> messages(List<Notice> notices) {
        if (notices.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        notices.forEach(n -> out.add(n.message()));
        return out;
    }

    private static String optional(String name, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            throw CoordException.invalidArgument(name + " must be at most " + max + " characters, got " + v.length());
        }
        return v;
    }
}
