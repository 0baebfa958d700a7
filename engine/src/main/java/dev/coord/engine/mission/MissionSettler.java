package dev.coord.engine.mission;

import dev.coord.engine.io.AtomicFiles;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.store.CoordStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings mission files in line with their records: the store decides (who claimed what), the files follow. For a
 * claim the file moves from {@code queue/} to {@code active/} (never over an existing file) and is then stamped
 * (status, {@code claimed_at}, {@code claimed_by}, a log line) through a temp file renamed over it; for done or give
 * back it is stamped first, then moved; then the record is marked settled. Each step can be repeated: a file already
 * moved is not moved again, a file already stamped for this record is not stamped again, so that the next call
 * finishes the work of a process that died half-way. See {@code docs/missions.md} for the crash cases.
 */
public final class MissionSettler {
    private static final Logger LOG = LoggerFactory.getLogger(MissionSettler.class);

    /** The name of the store's exclusive section that every mission file change runs in. */
    public static final String EXCLUSIVE = "missions";

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
    private final MissionPaths paths;
    private final Steps steps;
    private final boolean durable;

    /**
     * @param durable force moves and rewrites of mission files to disk (directories included), so that they survive
     *     a power loss; without it a power loss may undo a move or a stamp, never tear a file
     */
    public MissionSettler(CoordStore store, MissionPaths paths, Steps steps, boolean durable) {
        this.store = Objects.requireNonNull(store, "store");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.steps = Objects.requireNonNull(steps, "steps");
        this.durable = durable;
    }

    /** Tells the test hook that a step was reached. */
    public void reached(String step, MissionClaim record) {
        steps.reached(step, record);
    }

    /**
     * Deletes temp files left by writers that died and settles every record whose file does not match it yet. The
     * server calls it at start; every operation does the same first.
     *
     * @return what could not be settled, one line each (also logged)
     */
    public List<String> reconcile() {
        if (!paths.available()) {
            return List.of();
        }
        return store.exclusively(EXCLUSIVE, this::reconcileLocked);
    }

    /** Settles what is not settled yet, if anything: the readers' cheap check before they look at the folders. */
    public void reconcileIfNeeded() {
        if (store.missions().stream().anyMatch(Predicate.not(MissionClaim::settled))) {
            store.exclusively(EXCLUSIVE, this::reconcileLocked);
        }
    }

    /**
     * {@link #reconcile()} for a caller already inside the exclusive section.
     *
     * @return what could not be settled, one line each (also logged)
     */
    public List<String> reconcileLocked() {
        for (MissionFolder folder : MissionFolder.values()) {
            try {
                int removed = AtomicFiles.deleteOrphanTemps(paths.root().resolve(folder.dirName()));
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
    public Optional<String> settle(MissionClaim rec) {
        Path queued = paths.file(MissionFolder.QUEUE, rec.file());
        Path active = paths.file(MissionFolder.ACTIVE, rec.file());
        Path done = paths.file(MissionFolder.DONE, rec.file());
        try {
            switch (rec.state()) {
                case ACTIVE -> {
                    if (!exists(active) && exists(queued)) {
                        AtomicFiles.moveNoReplace(queued, active, durable);
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
                            stamp(from, rec, MissionSettler::doneStamped, doc -> doneStamp(doc, rec));
                        } else {
                            stamp(from, rec, MissionSettler::queueStamped, doc -> giveBackStamp(doc, rec));
                        }
                        steps.reached("stamped", rec);
                        AtomicFiles.moveNoReplace(from, target, durable);
                        steps.reached("moved", rec);
                    } else if (!exists(target)) {
                        return problem(rec, "its file is in none of the folders");
                    }
                }
            }
        } catch (FileAlreadyExistsException e) {
            return problem(rec, "cannot move it: " + paths.rel(Path.of(e.getFile())) + " already exists");
        } catch (MissionFormatException e) {
            return problem(rec, paths.rel(e.file()) + " cannot be read: line " + e.line() + ": " + e.problem());
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
            if (AtomicFiles.replaceIfUnchanged(file, before, edit.apply(doc).toBytes(), durable)) {
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
        ZonedDateTime at = rec.claimedAt().atZone(paths.zone());
        String line = rec.takenFrom() == null
                ? MissionFormat.claimedLine(at.toLocalTime(), rec.claimedBy(), rec.claimedTask())
                : !rec.changedBy().equals(rec.claimedBy())
                        ? MissionFormat.logLine(
                                at.toLocalTime(),
                                "HANDED OVER",
                                "to " + rec.claimedBy() + task(rec.claimedTask()) + " by " + rec.takenFrom())
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
        ZonedDateTime at = rec.changedAt().atZone(paths.zone());
        String detail = "by " + rec.changedBy()
                + (rec.takenFrom() == null ? "" : " for " + rec.takenFrom() + reasonInParens(rec.reason()))
                + (rec.summary() == null ? "" : ": " + rec.summary());
        return doc.withField(MissionFormat.STATUS, "DONE")
                .withField(MissionFormat.COMPLETED_AT, MissionFormat.timestamp(at.toOffsetDateTime()))
                .withLogEntry(at.toLocalDate(), MissionFormat.logLine(at.toLocalTime(), "COMPLETED", detail));
    }

    private MissionDocument giveBackStamp(MissionDocument doc, MissionClaim rec) {
        ZonedDateTime at = rec.changedAt().atZone(paths.zone());
        String detail = "by " + rec.changedBy() + (rec.takenFrom() == null ? "" : " for " + rec.takenFrom())
                + (rec.reason() == null ? "" : ": " + rec.reason())
                + (rec.summary() == null ? "" : "; note for the next claimer: " + rec.summary());
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

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
