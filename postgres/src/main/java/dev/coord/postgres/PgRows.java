package dev.coord.postgres;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseMark;
import dev.coord.engine.model.Waiter;
import dev.coord.engine.rules.LockRules;
import dev.coord.engine.rules.MissionTable;
import dev.coord.engine.rules.ReleaseMarks;
import dev.coord.engine.rules.State;
import dev.coord.engine.rules.Tombstone;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Loading and writing one project's rows: the state a transaction works on ({@link State}, read in one round trip
 * after the project's row is locked), the release marks (looked up one path at a time), fencing tokens (a
 * sequence), and the rows the rules changed, with the audit events. Runs on the connection {@link PgConnection} gives
 * a transaction.
 */
final class PgRows {
    private static final int MARK_PRUNE_EVERY = 256;

    private static final RowTable<Instance> INSTANCES = RowTable.of(
                    "coord_instance", "id", Instance.class, Instance::id)
            .with("host", null, Instance::host)
            .with("pid", null, Instance::pid)
            .with("last_heartbeat", null, Instance::lastHeartbeat);
    private static final RowTable<LockRecord> LOCKS = RowTable.numeric(
                    "coord_lock", "token", LockRecord.class, LockRecord::token)
            .with("path", null, LockRecord::path)
            .with("mode", null, l -> l.mode().name())
            .with("holder", null, LockRecord::holder)
            .with("expires_at", null, LockRecord::expiresAt)
            .with("auto", null, LockRecord::auto);
    private static final RowTable<Waiter> WAITERS = RowTable.of(
                    "coord_waiter", "instance", Waiter.class, Waiter::instance)
            .with("deadline", null, Waiter::deadline);
    private static final RowTable<Tombstone> TOMBSTONES =
            RowTable.of("coord_tombstone", "k", Tombstone.class, t -> t.instance() + "@" + t.at());
    private static final RowTable<NoticeList> NOTICES =
            RowTable.of("coord_notice", "instance", NoticeList.class, NoticeList::instance);
    private static final RowTable<MissionClaim> MISSIONS = RowTable.of(
                    "coord_mission", "mission_id", MissionClaim.class, MissionClaim::missionId)
            .with("state", null, m -> m.state().name())
            .with("claimed_by", null, MissionClaim::claimedBy)
            .with("rev", null, MissionClaim::rev);

    private static final String LOAD_SQL = String.join(
                    " UNION ALL ",
                    INSTANCES.unionPart(0),
                    LOCKS.unionPart(1),
                    WAITERS.unionPart(2),
                    TOMBSTONES.unionPart(4),
                    NOTICES.unionPart(5))
            + " ORDER BY tag, ord";

    /** The notices pending for one instance: one row. */
    record NoticeList(String instance, List<Notice> notices) {
        NoticeList {
            notices = notices == null ? List.of() : List.copyOf(notices);
        }
    }

    private final String project;
    private final Supplier<Duration> clockOffset;
    private final AtomicLong marksWritten = new AtomicLong();

    PgRows(String project, Supplier<Duration> clockOffset) {
        this.project = project;
        this.clockOffset = clockOffset;
    }

    /** The rows of one project as loaded in one transaction. */
    static final class Loaded {
        State state;
        long nextRev;
        RowTable.Rows<Instance> instances;
        RowTable.Rows<LockRecord> locks;
        RowTable.Rows<Waiter> waiters;
        RowTable.Rows<Tombstone> tombstones;
        RowTable.Rows<NoticeList> notices;
    }

    /** The mission records of the project. */
    RowTable.Rows<MissionClaim> missions(Connection c) throws SQLException {
        return MISSIONS.load(c, project);
    }

    /** Writes the mission records that changed, and the next revision number. */
    void saveMissions(Connection c, Loaded l, RowTable.Rows<MissionClaim> before, MissionTable t) throws SQLException {
        if (t.dirty()) {
            MISSIONS.save(c, project, before, t.all());
        }
        if (t.nextRev() != l.nextRev) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE coord_project SET next_rev = ? WHERE key = ?")) {
                ps.setLong(1, t.nextRev());
                ps.setString(2, project);
                ps.executeUpdate();
            }
        }
    }

    /** Locks the project row (for update, or for share when only reading) and loads its state at the DB clock. */
    Loaded load(Connection c, boolean forUpdate) throws SQLException {
        Loaded l = new Loaded();
        String lockSql = "SELECT next_rev, clock_timestamp() FROM coord_project WHERE key = ? FOR "
                + (forUpdate ? "UPDATE" : "SHARE");
        Instant dbNow = null;
        for (int attempt = 0; attempt < 2 && dbNow == null; attempt++) {
            try (PreparedStatement ps = c.prepareStatement(lockSql)) {
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        l.nextRev = rs.getLong(1);
                        dbNow = rs.getObject(2, OffsetDateTime.class).toInstant();
                    }
                }
            }
            if (dbNow == null) {
                ensureProject(c);
            }
        }
        if (dbNow == null) {
            throw new SQLException("the project row " + project + " cannot be created");
        }
        l.state = new State(dbNow.plus(clockOffset.get()), () -> nextToken(c), new PgReleaseMarks(c));
        l.instances = new RowTable.Rows<>();
        l.locks = new RowTable.Rows<>();
        l.waiters = new RowTable.Rows<>();
        l.tombstones = new RowTable.Rows<>();
        l.notices = new RowTable.Rows<>();
        // Every table of the project in one round trip, after the row lock (so this statement's snapshot sees every
        // transaction that committed before this one got the lock).
        try (PreparedStatement ps = c.prepareStatement(LOAD_SQL)) {
            for (int i = 1; i <= 5; i++) {
                ps.setString(i, project);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String k = rs.getString(2);
                    long ord = rs.getLong(3);
                    String doc = rs.getString(4);
                    switch (rs.getInt(1)) {
                        case 0 -> INSTANCES.accept(l.instances, k, ord, doc);
                        case 1 -> LOCKS.accept(l.locks, k, ord, doc);
                        case 2 -> WAITERS.accept(l.waiters, k, ord, doc);
                        case 4 -> TOMBSTONES.accept(l.tombstones, k, ord, doc);
                        default -> NOTICES.accept(l.notices, k, ord, doc);
                    }
                }
            }
        }
        State s = l.state;
        Map<String, List<Notice>> notices = new LinkedHashMap<>();
        l.notices.values.values().forEach(n -> notices.put(n.instance(), n.notices()));
        s.load(
                l.instances.values.values(),
                l.tombstones.values.values(),
                notices,
                l.locks.values.values(),
                l.waiters.values.values());
        return l;
    }

    /**
     * The release marks of the project, looked up and written one path at a time inside the transaction (the rules
     * only ever touch the paths they grant or release), so that a transaction never loads thousands of marks. At most
     * {@link LockRules#RELEASE_MARK_MAX} are kept: every {@value #MARK_PRUNE_EVERY}th mark this process writes drops the
     * least recently released beyond that bound.
     */
    private final class PgReleaseMarks implements ReleaseMarks {
        private final Connection c;

        PgReleaseMarks(Connection c) {
            this.c = c;
        }

        @Override
        public ReleaseMark remove(String path) {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM coord_release_mark WHERE project = ? AND path = ? RETURNING doc::text")) {
                ps.setString(1, project);
                ps.setString(2, path);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Json.mapper().readValue(rs.getString(1), ReleaseMark.class) : null;
                }
            } catch (SQLException e) {
                throw new PgConnection.SqlFailure(e);
            }
        }

        @Override
        public void put(ReleaseMark mark) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO coord_release_mark (project, path, ord, doc)"
                    + " VALUES (?, ?, nextval('coord_token_seq'), ?::jsonb) ON CONFLICT (project, path)"
                    + " DO UPDATE SET ord = excluded.ord, doc = excluded.doc")) {
                ps.setString(1, project);
                ps.setString(2, mark.path());
                ps.setString(3, Json.mapper().writeValueAsString(mark));
                ps.executeUpdate();
                if (marksWritten.incrementAndGet() % MARK_PRUNE_EVERY == 0) {
                    pruneMarks(c);
                }
            } catch (SQLException e) {
                throw new PgConnection.SqlFailure(e);
            }
        }
    }

    private void pruneMarks(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM coord_release_mark WHERE project = ? AND ord <"
                + " (SELECT ord FROM coord_release_mark WHERE project = ? ORDER BY ord DESC OFFSET ? LIMIT 1)")) {
            ps.setString(1, project);
            ps.setString(2, project);
            ps.setInt(3, LockRules.RELEASE_MARK_MAX - 1);
            ps.executeUpdate();
        }
    }

    private long nextToken(Connection c) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT nextval('coord_token_seq')")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new PgConnection.SqlFailure(e);
        }
    }

    /** Writes what the rules changed, and the audit events. */
    void save(Connection c, Loaded l) throws SQLException {
        State s = l.state;
        if (s.registryDirty()) {
            INSTANCES.save(c, project, l.instances, List.copyOf(s.instances()));
            TOMBSTONES.save(c, project, l.tombstones, s.tombstones());
            List<NoticeList> notices = new ArrayList<>();
            s.pendingNotices().forEach((k, v) -> notices.add(new NoticeList(k, v)));
            NOTICES.save(c, project, l.notices, notices);
        }
        if (s.tableDirty()) {
            LOCKS.save(c, project, l.locks, s.locks());
            WAITERS.save(c, project, l.waiters, s.waiters());
        }
        if (!s.auditEvents().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO coord_audit"
                    + " (project, at, event, instance, path, token, details) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                for (AuditEvent e : s.auditEvents()) {
                    ps.setString(1, project);
                    ps.setObject(2, RowTable.sqlValue(e.at()));
                    ps.setString(3, e.event());
                    ps.setString(4, e.instance());
                    ps.setString(5, e.path());
                    ps.setObject(6, e.token());
                    ps.setString(7, e.details() == null ? null : Json.mapper().writeValueAsString(e.details()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    void ensureProject(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO coord_project (key) VALUES (?) ON CONFLICT (key) DO NOTHING")) {
            ps.setString(1, project);
            ps.executeUpdate();
        }
    }
}
