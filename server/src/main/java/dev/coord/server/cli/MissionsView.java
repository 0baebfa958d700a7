package dev.coord.server.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.mission.MissionBoard;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.mission.MissionFolder;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.repo.RepoLocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The missions folder for a person or a script, read without changing anything: the files of {@code queue/},
 * {@code active/} and {@code done/}, with who holds each active mission from the store's claim records (else from
 * the file) and whether that session is still alive. Unlike the model's {@code status} it is not capped, and it
 * repairs nothing: a half-finished move is shown as it is and the next server call finishes it.
 *
 * @param root the missions folder, relative to the repository root
 * @param queued queued missions, best first (priority, then id); {@code waitsFor} lists unmet dependencies
 * @param active active missions, oldest claim first
 * @param done how many files are in {@code done/}
 * @param malformed files coord cannot read, and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MissionsView(String root, List<Queued> queued, List<Active> active, int done, List<Malformed> malformed) {

    /** A queued mission. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Queued(String id, String title, int priority, String path, List<String> waitsFor) {}

    /** An active mission; {@code alive} false means its claimer is gone (stranded), {@code stale} older than 24 h. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Active(
            String id,
            String title,
            String path,
            String claimedBy,
            String task,
            Instant claimedAt,
            Long ageS,
            boolean alive,
            boolean stale) {}

    /** A file coord cannot read. */
    record Malformed(String path, String problem) {}

    /** Null when the missions folder does not exist. */
    static MissionsView read(CliEnv ctx, Snapshot snap, List<MissionClaim> claims) {
        Path repoRoot = ctx.layout().root();
        Path dir = RepoLocator.missionsDir(ctx.layout(), ctx.env());
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

        List<Queued> queued = new ArrayList<>();
        List<Malformed> malformed = new ArrayList<>();
        for (MissionEntry e : board.entries(MissionFolder.QUEUE)) {
            MissionClaim rec = records.get(e.id());
            if (!e.valid() || rec != null && rec.state() != MissionState.QUEUED) {
                // the shared records are the truth: a copy still in queue/ of a mission claimed or done in another
                // worktree is not queued (status.missions.differences says so)
                continue;
            }
            List<String> waits =
                    e.doc().dependsOn().stream().filter(d -> !board.isDone(d)).collect(Collectors.toList());
            queued.add(new Queued(e.id(), e.doc().title(), e.doc().priority(), rel(repoRoot, e.file()), waits));
        }
        queued.sort(Comparator.comparingInt(Queued::priority).thenComparing(Queued::id));

        List<Active> active = new ArrayList<>();
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
            active.add(new Active(
                    e.id(),
                    e.doc().title(),
                    rel(repoRoot, e.file()),
                    holder,
                    task,
                    since == null ? null : since.truncatedTo(ChronoUnit.SECONDS),
                    since == null
                            ? null
                            : Math.max(0, Duration.between(since, now).toSeconds()),
                    claimer != null,
                    since != null && !since.plus(MissionClaim.STALE_AFTER).isAfter(now)));
        }
        active.sort(Comparator.comparing(Active::ageS, Comparator.nullsLast(Comparator.reverseOrder())));
        for (MissionEntry e : board.problems()) {
            malformed.add(new Malformed(rel(repoRoot, e.file()), e.problem()));
        }
        return new MissionsView(
                rel(repoRoot, dir),
                queued,
                active,
                board.entries(MissionFolder.DONE).size(),
                malformed.isEmpty() ? null : malformed);
    }

    private static String rel(Path root, Path p) {
        Path r = p.startsWith(root) ? root.relativize(p) : p;
        return r.toString().replace('\\', '/');
    }
}
