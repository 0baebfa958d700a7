package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.mission.MissionBoard;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.mission.MissionFolder;
import dev.coord.engine.mission.MissionPaths;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The missions folder for a person or a script, read without changing anything: the files of {@code queue/},
 * {@code active/} and {@code done/}, with who holds each active mission from the store's claim records (else from
 * the file) and whether that session is still alive ({@code coord missions list --json}, {@code coord status --json},
 * the dashboard). Unlike the model's {@code status} ({@link MissionViews.Overview}) it is not capped, and it repairs
 * nothing: a half-finished move is shown as it is and the next server call finishes it. Its lines are the model's
 * records ({@link MissionViews.Candidate}, {@link MissionViews.Active}, {@link MissionViews.Malformed}) with the fields
 * a person reads.
 *
 * @param root the missions folder, relative to the repository root
 * @param queued queued missions, best first (priority, then id); {@code waitsFor} lists unmet dependencies
 * @param active active missions, oldest claim first
 * @param done how many files are in {@code done/}
 * @param malformed files coord cannot read, and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MissionsView(
        String root,
        List<MissionViews.Candidate> queued,
        List<MissionViews.Active> active,
        int done,
        List<MissionViews.Malformed> malformed) {

    /**
     * Reads the missions folder; null when it does not exist.
     *
     * @param paths the repository root and the missions folder ({@code zone} is not used: times are UTC instants)
     * @param snap the shared state as just read (who is alive)
     * @param claims the store's mission claim records
     */
    public static MissionsView read(MissionPaths paths, Snapshot snap, List<MissionClaim> claims) {
        Path dir = paths.root();
        MissionBoard board;
        try {
            board = MissionBoard.scan(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        if (!board.exists()) {
            return null;
        }
        Map<String, MissionClaim> records = new HashMap<>();
        claims.forEach(c -> records.put(c.missionId(), c));
        Map<String, Instance> live = new HashMap<>();
        snap.instances().forEach(i -> live.put(i.id(), i));
        Instant now = snap.at();

        List<MissionViews.Candidate> queued = new ArrayList<>();
        List<MissionViews.Malformed> malformed = new ArrayList<>();
        for (MissionEntry e : board.entries(MissionFolder.QUEUE)) {
            MissionClaim rec = records.get(e.id());
            if (!e.valid() || rec != null && rec.state() != MissionState.QUEUED) {
                // the shared records are the truth: a copy still in queue/ of a mission claimed or done in another
                // worktree is not queued (status.missions.differences says so)
                continue;
            }
            List<String> waits =
                    e.doc().dependsOn().stream().filter(d -> !board.isDone(d)).collect(Collectors.toList());
            queued.add(new MissionViews.Candidate(
                    e.id(), e.doc().title(), e.doc().priority(), paths.rel(e.file()), waits));
        }
        queued.sort(Comparator.comparing(MissionViews.Candidate::priority).thenComparing(MissionViews.Candidate::id));

        List<MissionViews.Active> active = new ArrayList<>();
        for (MissionEntry e : board.entries(MissionFolder.ACTIVE)) {
            if (!e.valid()) {
                continue;
            }
            MissionClaim rec = records.get(e.id());
            boolean recorded = rec != null && rec.active();
            String holder = recorded ? rec.claimedBy() : e.doc().claimedBy().orElse(null);
            Instant since = recorded
                    ? rec.claimedAt()
                    : e.doc().claimedAt().map(OffsetDateTime::toInstant).orElse(null);
            Instance claimer = holder == null ? null : live.get(holder);
            String task = claimer != null ? claimer.task() : recorded ? rec.claimedTask() : null;
            active.add(new MissionViews.Active(
                    e.id(),
                    e.doc().title(),
                    paths.rel(e.file()),
                    holder,
                    task,
                    since == null ? null : Views.seconds(since).toString(),
                    since == null
                            ? null
                            : Math.max(0, Duration.between(since, now).toSeconds()),
                    null,
                    claimer != null,
                    null,
                    since != null && !since.plus(MissionClaim.STALE_AFTER).isAfter(now),
                    null));
        }
        active.sort(Comparator.comparing(MissionViews.Active::ageS, Comparator.nullsLast(Comparator.reverseOrder())));
        for (MissionEntry e : board.problems()) {
            malformed.add(new MissionViews.Malformed(paths.rel(e.file()), e.problem()));
        }
        return new MissionsView(
                paths.rel(dir),
                queued,
                active,
                board.entries(MissionFolder.DONE).size(),
                malformed.isEmpty() ? null : malformed);
    }
}
