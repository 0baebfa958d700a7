package dev.coord.engine.service;

import dev.coord.engine.Session;
import dev.coord.engine.mission.MissionBoard;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.mission.MissionFolder;
import dev.coord.engine.mission.MissionPaths;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.service.MissionOutcomes.Active;
import dev.coord.engine.service.MissionOutcomes.Difference;
import dev.coord.engine.service.MissionOutcomes.Overview;
import dev.coord.engine.service.MissionOutcomes.Sighting;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The missions folder at a glance (for {@code status}) and the missions one session holds. */
final class MissionOverviews {
    private final Session session;
    private final MissionPaths paths;
    private final MissionLookup lookup;
    private final MissionSettler settler;

    MissionOverviews(Session session, MissionPaths paths, MissionLookup lookup, MissionSettler settler) {
        this.session = session;
        this.paths = paths;
        this.lookup = lookup;
        this.settler = settler;
    }

    Overview overview(Snapshot snap) {
        if (!paths.available()) {
            return null;
        }
        settler.reconcileIfNeeded();
        MissionBoard board = lookup.scan();
        Map<String, MissionClaim> records = lookup.records();
        Map<String, Instance> live = new HashMap<>();
        snap.instances().forEach(i -> live.put(i.id(), i));
        Instant now = snap.at();
        String me = session.id();

        int blocked = 0;
        for (MissionEntry e : board.entries(MissionFolder.QUEUE)) {
            MissionClaim rec = records.get(e.id());
            if (e.valid()
                    && !(rec != null && rec.active())
                    && !MissionLookup.unmet(e, board).isEmpty()) {
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
            String holder = recorded ? rec.claimedBy() : e.doc().claimedBy().orElse(MissionService.UNKNOWN_CLAIMER);
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
        List<Difference> differences = new ArrayList<>();
        for (MissionEntry e : board.entries(MissionFolder.QUEUE)) {
            MissionClaim rec = records.get(e.id());
            if (e.valid() && rec != null && rec.state() == MissionState.DONE) {
                differences.add(new Difference(
                        e.file(),
                        MissionLookup.doneElsewhere(rec, live, session.self().worktree())));
            }
        }
        return new Overview(
                paths.root(),
                board.entries(MissionFolder.QUEUE).size(),
                MissionLookup.claimable(board, records),
                blocked,
                active,
                board.entries(MissionFolder.DONE).size(),
                board.problems(),
                differences);
    }

    private static Active active(
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
        return new Active(id, title, file, holder, task, since, age, holder.equals(me), claimer == null, stale, note);
    }

    List<Sighting> mine() {
        if (!paths.available()) {
            return List.of();
        }
        settler.reconcileIfNeeded();
        String me = session.id();
        List<Sighting> out = new ArrayList<>();
        MissionBoard board = lookup.scan();
        Map<String, MissionClaim> records = lookup.records();
        for (MissionClaim rec : records.values()) {
            if (rec.active() && rec.claimedBy().equals(me)) {
                out.add(sightingOf(rec));
            }
        }
        for (MissionEntry e : board.entries(MissionFolder.ACTIVE)) {
            MissionClaim rec = records.get(e.id());
            if (e.valid()
                    && (rec == null || !rec.active())
                    && e.doc().claimedBy().filter(me::equals).isPresent()) {
                out.add(Sighting.of(e));
            }
        }
        return out;
    }

    /** The mission of a record, read from the file where the record says it is, if it is readable there. */
    Sighting sightingOf(MissionClaim rec) {
        MissionFolder folder =
                switch (rec.state()) {
                    case ACTIVE -> MissionFolder.ACTIVE;
                    case DONE -> MissionFolder.DONE;
                    case QUEUED -> MissionFolder.QUEUE;
                };
        Path file = paths.file(folder, rec.file());
        if (java.nio.file.Files.isRegularFile(file)) {
            MissionEntry e = MissionBoard.parse(file, folder);
            if (e.valid()) {
                return new Sighting(file, e.doc(), rec);
            }
        }
        return new Sighting(file, null, rec);
    }
}
