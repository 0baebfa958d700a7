package dev.coord.engine.store.file;

import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.Notice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a damaged {@code registry.json}, {@code locks.json} or {@code missions.json} of the file store from the
 * audit log, and recovers
 * the token counter, so that a set-aside state file loses as little as the log allows.
 */
final class StateRebuild {
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    private final Path dir;
    private final Clock clock;
    private final JsonDocFile<RegistryDoc> registry;
    private final JsonDocFile<TableDoc> table;
    private final JsonDocFile<MissionsDoc> missions;
    /** The notices of the last mission rebuild, for a transaction that loaded the registry before it ran. */
    private final Map<String, Notice> missionNotices = new LinkedHashMap<>();

    StateRebuild(
            Path dir,
            Clock clock,
            JsonDocFile<RegistryDoc> registry,
            JsonDocFile<TableDoc> table,
            JsonDocFile<MissionsDoc> missions) {
        this.dir = dir;
        this.clock = clock;
        this.registry = registry;
        this.table = table;
        this.missions = missions;
    }

    /**
     * {@code missions.json} was damaged and set aside (under the mutex): the last record of every mission the audit
     * log knows comes back (same state, claimer, claim time, request id and revision; unsettled, so that the settler
     * checks each file), and each registered claimer of an active mission gets a {@code mission_restored} notice.
     */
    MissionsDoc missions() {
        Instant now = clock.instant();
        AuditReplay replay = AuditReplay.of(dir);
        List<MissionClaim> records = List.copyOf(replay.missions.values());
        long nextRev = 1;
        for (MissionClaim c : records) {
            nextRev = Math.max(nextRev, c.rev() + 1);
        }
        MissionsDoc doc = new MissionsDoc(MissionsDoc.VERSION, nextRev, records);
        try {
            RegistryDoc reg = registry.read(true);
            Map<String, List<Notice>> notices = new LinkedHashMap<>();
            reg.notices().forEach((k, v) -> notices.put(k, new ArrayList<>(v)));
            synchronized (missionNotices) {
                missionNotices.clear();
                for (MissionClaim c : records) {
                    boolean registered = reg.instances().stream().anyMatch(i -> i.id().equals(c.claimedBy()));
                    if (c.active() && registered) {
                        Notice n = new Notice(Notice.Kind.MISSION_RESTORED, c.missionId(), 0, null, null, now);
                        notices.computeIfAbsent(c.claimedBy(), k -> new ArrayList<>())
                                .add(n);
                        missionNotices.put(c.claimedBy() + "\n" + c.missionId(), n);
                    }
                }
            }
            missions.write(doc, true);
            if (!missionNotices.isEmpty()) {
                registry.write(new RegistryDoc(RegistryDoc.VERSION, reg.instances(), reg.tombstones(), notices), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.warn("missions.json rebuilt from the audit log: {} mission record(s) restored", records.size());
        return doc;
    }

    /**
     * Takes the notices of the last mission rebuild: a transaction that loaded the registry before the rebuild adds
     * them to its state, or its own registry write would drop them.
     *
     * @return instance id to notice
     */
    List<Map.Entry<String, Notice>> takeMissionNotices() {
        synchronized (missionNotices) {
            List<Map.Entry<String, Notice>> out = new ArrayList<>();
            missionNotices.forEach((k, v) -> out.add(Map.entry(k.substring(0, k.indexOf('\n')), v)));
            missionNotices.clear();
            return out;
        }
    }

    /**
     * {@code registry.json} was damaged and set aside (under the mutex): the instances registered and not gone by the
     * audit log are restored with a fresh heartbeat, so their locks are not voided as "holder not registered"; each
     * gets a {@code restored} notice. Tombstones and pending notices are lost.
     */
    RegistryDoc registry() {
        Instant now = clock.instant();
        AuditReplay replay = AuditReplay.of(dir);
        List<Instance> instances = new ArrayList<>();
        Map<String, List<Notice>> notices = new LinkedHashMap<>();
        for (AuditReplay.Known k : replay.instances.values()) {
            instances.add(k.restore(now));
            notices.put(k.id(), List.of(new Notice(Notice.Kind.RESTORED, null, 0, null, null, now)));
        }
        RegistryDoc doc = new RegistryDoc(RegistryDoc.VERSION, instances, List.of(), notices);
        try {
            registry.write(doc, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.warn("registry.json rebuilt from the audit log: {} session(s) restored", instances.size());
        return doc;
    }

    /**
     * {@code locks.json} was damaged and set aside (under the mutex): every lease the audit log granted and did not
     * end, to a session still registered, is restored with a lease running from now, its holder gets a
     * {@code restored} notice, and the token counter goes on above the highest token of the log.
     */
    TableDoc table() {
        Instant now = clock.instant();
        AuditReplay replay = AuditReplay.of(dir);
        RegistryDoc reg;
        try {
            reg = registry.read(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Instance> live = new LinkedHashMap<>();
        reg.instances().forEach(i -> live.put(i.id(), i));
        Map<String, List<Notice>> notices = new LinkedHashMap<>();
        reg.notices().forEach((k, v) -> notices.put(k, new ArrayList<>(v)));
        List<LockRecord> locks = new ArrayList<>();
        for (AuditReplay.Lease lease : replay.leases.values()) {
            Instance holder = live.get(lease.holder());
            if (holder == null) {
                continue;
            }
            locks.add(lease.restore(now, holder.worktree()));
            notices.computeIfAbsent(lease.holder(), k -> new ArrayList<>())
                    .add(new Notice(Notice.Kind.RESTORED, lease.path(), lease.token(), null, null, now));
        }
        TableDoc doc = new TableDoc(TableDoc.VERSION, replay.maxToken + 1, locks, List.of(), List.of());
        try {
            table.write(doc, true);
            if (!locks.isEmpty()) {
                registry.write(new RegistryDoc(RegistryDoc.VERSION, reg.instances(), reg.tombstones(), notices), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.warn("locks.json rebuilt from the audit log: {} lock(s) restored", locks.size());
        return doc;
    }
}
