package dev.coord.postgres;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.json.Json;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseMark;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.model.Waiter;
import dev.coord.engine.store.rules.MissionRules;
import dev.coord.engine.store.rules.MissionTable;
import dev.coord.engine.store.rules.ReleaseMarks;
import dev.coord.engine.store.rules.Rules;
import dev.coord.engine.store.rules.RulesStore;
import dev.coord.engine.store.rules.State;
import dev.coord.engine.store.rules.Tombstone;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL store: the state of one project (one repository) in one database that machines share.
 *
 * <p>Every operation is one transaction: it locks the project's row ({@code SELECT ... FOR UPDATE}, which serializes
 * the project's operations across every process and machine), reads the DATABASE clock, loads the project's rows into
 * the engine's {@link State} and {@link MissionTable}, runs the same {@link Rules} and {@link MissionRules} as the file
 * store, and writes back only the rows that changed. Fencing tokens come from a sequence. A failure anywhere rolls the
 * whole transaction back.
 *
 * <p>One connection per store object; callers of one store are serialized on it. A connection error closes it and
 * fails the call with {@link ErrorCode#STORE_UNAVAILABLE}; the next call reconnects (with back-off after repeated
 * failures). Serialization failures and deadlocks are retried.
 *
 * <p>{@link #exclusively} serializes the local mission file moves of the processes sharing one clone with a lock file
 * in the clone's local state directory: those files are local, so a lock held in the database would only make other
 * machines wait for nothing, and a session advisory lock of a vanished host could block them for hours.
 */
public final class PgStore extends RulesStore {
    private static final Logger LOG = LoggerFactory.getLogger(PgStore.class);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final int RETRIES = 5;
    private static final int MARK_PRUNE_EVERY = 256;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    /** In-JVM half of {@link #exclusively}: FileChannel locks are per process, not per thread. */
    private static final Map<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

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
            .with("expires_at", null, LockRecord::expiresAt);
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

    private final PgUrl url;
    private final String project;
    private final Path localDir;
    private final Supplier<Duration> clockOffset;
    private final AtomicLong marksWritten = new AtomicLong();
    private final ReentrantLock connectionLock = new ReentrantLock(true);
    private Connection connection;
    private Instant nextConnectAttempt = Instant.MIN;
    private Duration backoff = Duration.ZERO;
    private String lastFailure;
    private volatile boolean closed;
    /** Whether {@link #open} finished: before, a failure means coord cannot start, not a passing outage. */
    private volatile boolean opened;

    private PgStore(PgUrl url, String project, Path localDir, LivenessJudge judge, Supplier<Duration> clockOffset) {
        super(judge);
        this.url = url;
        this.project = project;
        this.localDir = localDir.toAbsolutePath().normalize();
        this.clockOffset = clockOffset;
    }

    /**
     * Connects, creates or upgrades the schema, and creates the project's row.
     *
     * @param project the project key that separates repositories in one database
     * @param localDir this clone's local state directory (for {@link #exclusively} lock files)
     * @param clockOffset added to the database clock; {@code Duration.ZERO} except in tests that move time
     * @throws CoordException STORE_UNAVAILABLE when the database cannot be reached or its schema is newer
     */
    public static PgStore open(
            PgUrl url, String project, Path localDir, LivenessJudge judge, Supplier<Duration> clockOffset) {
        if (project == null || project.isBlank() || project.length() > 500) {
            throw CoordException.invalidArgument("the project key must be 1 to 500 characters, got " + project);
        }
        PgStore store = new PgStore(
                Objects.requireNonNull(url, "url"),
                project,
                Objects.requireNonNull(localDir, "localDir"),
                Objects.requireNonNull(judge, "judge"),
                Objects.requireNonNull(clockOffset, "clockOffset"));
        store.connectionLock.lock();
        try {
            Connection c = store.connection();
            try {
                int applied = Migrations.apply(c);
                if (applied > 0) {
                    LOG.info(
                            "{}: applied {} schema migration(s), now at version {}", url, applied, Migrations.latest());
                }
                c.setAutoCommit(false);
                store.ensureProject(c);
                c.commit();
            } catch (SQLException e) {
                store.rollbackQuietly();
                store.dropConnection(e);
                throw store.unavailable(e);
            } catch (IllegalStateException e) {
                store.dropConnection(e);
                throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "postgres store " + url + ": " + e.getMessage());
            }
        } finally {
            store.connectionLock.unlock();
        }
        store.opened = true;
        return store;
    }

    @Override
    public String describe() {
        return url.safe() + " project " + project;
    }

    /** The project key of this store. */
    public String project() {
        return project;
    }

    @Override
    public Instant now() {
        return tx(false, c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class).toInstant().plus(clockOffset.get());
            }
        });
    }

    @Override
    public Snapshot read() {
        return tx(false, c -> {
            Loaded l = load(c, false);
            rules.sweep(l.state, false);
            return snapshot(l.state, List.of());
        });
    }

    @Override
    public Decision appendDecision(Instance caller, DecisionDraft draft) {
        return tx(true, c -> {
            Loaded l = load(c, true);
            State s = l.state;
            keepForLater(s, caller, rules.enter(s, caller, true));
            String day = DAY.format(s.now);
            int seq;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO coord_decision_day (project, day, last_seq)"
                    + " VALUES (?, ?, 1) ON CONFLICT (project, day) DO UPDATE"
                    + " SET last_seq = coord_decision_day.last_seq + 1 RETURNING last_seq")) {
                ps.setString(1, project);
                ps.setString(2, day);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seq = rs.getInt(1);
                }
            }
            Decision d = new Decision(
                    String.format(Locale.ROOT, "DEC-%s-%04d", day, seq),
                    draft.category(),
                    draft.title(),
                    draft.description(),
                    draft.scope(),
                    draft.tags(),
                    caller.id(),
                    caller.task(),
                    s.now,
                    draft.supersedes());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO coord_decision"
                    + " (project, id, category, created_at, supersedes, search_text, doc)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                ps.setString(1, project);
                ps.setString(2, d.id());
                ps.setString(3, d.category());
                ps.setObject(4, RowTable.sqlValue(d.createdAt()));
                ps.setString(5, d.supersedes());
                ps.setString(6, searchText(d));
                ps.setString(7, Json.mapper().writeValueAsString(d));
                ps.executeUpdate();
            }
            s.audit("decision", caller.id(), null, null, Map.of("id", d.id(), "category", d.category()));
            save(c, l);
            return d;
        });
    }

    /** What the text filter searches, lower-cased exactly as the file store does. */
    static String searchText(Decision d) {
        return (d.title() + "\n" + d.description() + "\n" + d.category() + "\n" + String.join(" ", d.tags()))
                .toLowerCase(Locale.ROOT);
    }

    @Override
    public List<Decision> decisions(DecisionQuery query) {
        StringBuilder sql = new StringBuilder("SELECT doc::text FROM coord_decision WHERE project = ?");
        List<Object> args = new ArrayList<>();
        args.add(project);
        if (query.category() != null) {
            sql.append(" AND lower(category) = ?");
            args.add(query.category().toLowerCase(Locale.ROOT));
        }
        if (query.since() != null) {
            sql.append(" AND created_at >= ?");
            args.add(RowTable.sqlValue(query.since()));
        }
        if (query.text() != null && !query.text().isBlank()) {
            for (String w : query.text().toLowerCase(Locale.ROOT).trim().split("\\s+")) {
                sql.append(" AND search_text LIKE ? ESCAPE '\\'");
                args.add("%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            }
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(query.limit());
        return tx(false, c -> {
            List<Decision> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Json.mapper().readValue(rs.getString(1), Decision.class));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Decision> decision(String id) {
        return tx(false, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT doc::text FROM coord_decision WHERE project = ? AND id = ?")) {
                ps.setString(1, project);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(Json.mapper().readValue(rs.getString(1), Decision.class))
                            : Optional.<Decision>empty();
                }
            }
        });
    }

    @Override
    public Map<String, String> supersededBy(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return tx(false, c -> {
            Map<String, String> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT supersedes, id FROM coord_decision"
                    + " WHERE project = ? AND supersedes = ANY (?) ORDER BY seq")) {
                ps.setString(1, project);
                Array array = c.createArrayOf("text", ids.toArray());
                ps.setArray(2, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<MissionClaim> missions() {
        return tx(false, c -> MISSIONS.load(c, project).list());
    }

    @Override
    public <T> T exclusively(String name, Supplier<T> work) {
        checkExclusiveName(name);
        Path file = localDir.resolve(name + ".lock");
        ReentrantLock inJvm = LOCAL_LOCKS.computeIfAbsent(file, k -> new ReentrantLock());
        inJvm.lock();
        try {
            if (inJvm.getHoldCount() > 1) {
                return work.get();
            }
            // The channel is opened and closed only here, under the in-JVM lock: no other channel of this process
            // is ever open on the file while its lock is held (closing one would drop the lock).
            try {
                Files.createDirectories(localDir);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock held = ch.lock()) {
                    return work.get();
                }
            } catch (IOException e) {
                throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "cannot lock " + file + ": " + e.getMessage(), e);
            }
        } finally {
            inJvm.unlock();
        }
    }

    @Override
    public void close() {
        connectionLock.lock();
        try {
            closed = true;
            closeConnection();
        } finally {
            connectionLock.unlock();
        }
    }

    // ---------------------------------------------------------------- transactions

    /** The rows of one project as loaded in one transaction. */
    private static final class Loaded {
        State state;
        long nextRev;
        RowTable.Rows<Instance> instances;
        RowTable.Rows<LockRecord> locks;
        RowTable.Rows<Waiter> waiters;
        RowTable.Rows<Tombstone> tombstones;
        RowTable.Rows<NoticeList> notices;
    }

    /** A SQL failure inside a rule callback (the token supplier), carried out of it. */
    private static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    @Override
    protected <T> T transact(Function<State, T> body) {
        return tx(true, c -> {
            Loaded l = load(c, true);
            T result = body.apply(l.state);
            save(c, l);
            return result;
        });
    }

    @Override
    protected <T> T transactMissions(BiFunction<State, MissionTable, T> body) {
        return tx(true, c -> {
            Loaded l = load(c, true);
            RowTable.Rows<MissionClaim> before = MISSIONS.load(c, project);
            MissionTable t = new MissionTable(l.nextRev, before.values.values());
            T result = body.apply(l.state, t);
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
            save(c, l);
            return result;
        });
    }

    /** Locks the project row (for update, or for share when only reading) and loads its state at the DB clock. */
    private Loaded load(Connection c, boolean forUpdate) throws SQLException {
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
        l.instances.values.values().forEach(i -> s.instances.put(i.id(), i));
        s.locks.addAll(l.locks.values.values());
        s.waiters.addAll(l.waiters.values.values());
        s.tombstones.addAll(l.tombstones.values.values());
        l.notices.values.values().forEach(n -> s.notices.put(n.instance(), new ArrayList<>(n.notices())));
        return l;
    }

    /**
     * The release marks of the project, looked up and written one path at a time inside the transaction (the rules
     * only ever touch the paths they grant or release), so that a transaction never loads thousands of marks. At most
     * {@link Rules#RELEASE_MARK_MAX} are kept: every {@value #MARK_PRUNE_EVERY}th mark this process writes drops the
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
                throw new SqlFailure(e);
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
                throw new SqlFailure(e);
            }
        }
    }

    private void pruneMarks(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM coord_release_mark WHERE project = ? AND ord <"
                + " (SELECT ord FROM coord_release_mark WHERE project = ? ORDER BY ord DESC OFFSET ? LIMIT 1)")) {
            ps.setString(1, project);
            ps.setString(2, project);
            ps.setInt(3, Rules.RELEASE_MARK_MAX - 1);
            ps.executeUpdate();
        }
    }

    private long nextToken(Connection c) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT nextval('coord_token_seq')")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** Writes what the rules changed, and the audit events. */
    private void save(Connection c, Loaded l) throws SQLException {
        State s = l.state;
        if (s.registryDirty) {
            INSTANCES.save(c, project, l.instances, List.copyOf(s.instances.values()));
            TOMBSTONES.save(c, project, l.tombstones, s.tombstones);
            List<NoticeList> notices = new ArrayList<>();
            s.pendingNotices().forEach((k, v) -> notices.add(new NoticeList(k, v)));
            NOTICES.save(c, project, l.notices, notices);
        }
        if (s.tableDirty) {
            LOCKS.save(c, project, l.locks, s.locks);
            WAITERS.save(c, project, l.waiters, s.waiters);
        }
        if (!s.audit.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO coord_audit"
                    + " (project, at, event, instance, path, token, details) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                for (AuditEvent e : s.audit) {
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

    private void ensureProject(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO coord_project (key) VALUES (?) ON CONFLICT (key) DO NOTHING")) {
            ps.setString(1, project);
            ps.executeUpdate();
        }
    }

    /**
     * Runs {@code work} in one transaction on this store's connection: commits on success, rolls back on any failure.
     * Serialization failures and deadlocks are retried; connection failures close the connection and fail the call.
     */
    private <T> T tx(boolean writes, SqlWork<T> work) {
        if (closed) {
            throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "postgres store " + url + " is closed");
        }
        connectionLock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                Connection c = connection();
                boolean committing = false;
                try {
                    T result = work.run(c);
                    committing = true;
                    if (writes) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                    return result;
                } catch (SqlFailure | SQLException e) {
                    SQLException se = e instanceof SqlFailure f ? f.getCause() : (SQLException) e;
                    rollbackQuietly();
                    if (!committing && attempt == 1 && isConnectionFailure(se)) {
                        // Nothing was committed: the connection had died (database restarted, backend terminated,
                        // idle connection cut). Reconnect once and run the transaction again.
                        dropConnection(se);
                        nextConnectAttempt = Instant.MIN;
                        continue;
                    }
                    if (committing && writes && isConnectionFailure(se)) {
                        dropConnection(se);
                        throw new CoordException(
                                ErrorCode.STORE_UNAVAILABLE,
                                "postgres store " + url + " unavailable: the connection broke while committing ("
                                        + firstLine(se.getMessage()) + "): the change was applied whole or not at"
                                        + " all; check with status before repeating it",
                                se);
                    }
                    if (!retry(se, attempt)) {
                        throw failure(se);
                    }
                } catch (RuntimeException | Error e) {
                    rollbackQuietly();
                    throw e;
                }
            }
        } finally {
            connectionLock.unlock();
        }
    }

    private boolean retry(SQLException e, int attempt) {
        String state = e.getSQLState();
        boolean transientConflict = "40001".equals(state) || "40P01".equals(state);
        if (transientConflict && attempt < RETRIES) {
            LOG.debug("{}: retrying after {} ({})", url, state, e.getMessage());
            return true;
        }
        return false;
    }

    private CoordException failure(SQLException e) {
        if (isConnectionFailure(e)) {
            dropConnection(e);
            return unavailable(e);
        }
        return new CoordException(
                ErrorCode.STORE_UNAVAILABLE, "postgres store " + url + " failed: " + e.getMessage(), e);
    }

    static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException se) {
                String state = se.getSQLState();
                if (state != null
                        && (state.startsWith("08")
                                || state.startsWith("57P")
                                || state.equals("53300")
                                || state.equals("XX000") && se.getMessage().contains("I/O"))) {
                    return true;
                }
                if (se instanceof SQLTransientConnectionException) {
                    return true;
                }
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private CoordException unavailable(SQLException e) {
        return new CoordException(
                ErrorCode.STORE_UNAVAILABLE,
                "postgres store " + url + " unavailable: " + firstLine(e.getMessage())
                        + (opened
                                ? " (nothing was changed; coord reconnects on the next call)"
                                : " (check COORD_STORE_URL, the network, the credentials and that the database is up)"),
                e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The open connection, connecting if needed. Caller holds {@link #connectionLock}. */
    private Connection connection() {
        if (connection != null) {
            return connection;
        }
        Instant now = Instant.now();
        if (now.isBefore(nextConnectAttempt)) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "postgres store " + url + " unavailable: " + lastFailure + " (next reconnect attempt in "
                            + Math.max(
                                    1, Duration.between(now, nextConnectAttempt).toMillis()) + " ms)");
        }
        try {
            Connection c = DriverManager.getConnection(url.jdbcUrl(), url.properties());
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // A statement or lock wait longer than this is a sick database: fail the call rather than hang.
                st.execute("SET statement_timeout = '20s'");
                st.execute("SET idle_in_transaction_session_timeout = '60s'");
            }
            c.commit();
            if (lastFailure != null) {
                LOG.info("{}: reconnected", url);
            }
            connection = c;
            backoff = Duration.ZERO;
            lastFailure = null;
            return c;
        } catch (SQLException e) {
            lastFailure = firstLine(e.getMessage());
            backoff = backoff.isZero() ? FIRST_BACKOFF : backoff.multipliedBy(2);
            if (backoff.compareTo(MAX_BACKOFF) > 0) {
                backoff = MAX_BACKOFF;
            }
            nextConnectAttempt = Instant.now().plus(backoff);
            LOG.warn("{}: cannot connect: {}", url, lastFailure);
            throw unavailable(e);
        }
    }

    private void dropConnection(Exception cause) {
        if (connection != null) {
            LOG.warn("{}: connection lost: {}", url, firstLine(cause.getMessage()));
            lastFailure = firstLine(cause.getMessage());
        }
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("{}: closing: {}", url, e.toString());
            }
            connection = null;
        }
    }

    private void rollbackQuietly() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("{}: rollback: {}", url, e.toString());
            if (isConnectionFailure(e)) {
                dropConnection(e);
            }
        }
    }

    /** Rows of this project per kind: {@code instances}, {@code locks}, {@code waiters}, {@code missions}. */
    public Map<String, Long> rowCounts() {
        return tx(false, c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String table : List.of("instance", "lock", "waiter", "mission")) {
                try (PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM coord_" + table + " WHERE project = ?")) {
                    ps.setString(1, project);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.put(table + "s", rs.getLong(1));
                    }
                }
            }
            return out;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<AuditEvent> recentAudit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return tx(false, c -> {
            List<AuditEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT at, event, instance, path, token, details::text"
                    + " FROM coord_audit WHERE project = ? ORDER BY seq DESC LIMIT ?")) {
                ps.setString(1, project);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Long token = rs.getObject(5, Long.class);
                        String details = rs.getString(6);
                        out.add(new AuditEvent(
                                rs.getObject(1, OffsetDateTime.class).toInstant(),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                token,
                                details == null ? null : Json.mapper().readValue(details, Map.class)));
                    }
                }
            }
            return out;
        });
    }

    /** The names of this project's audit events, oldest first. */
    public List<String> auditEvents() {
        return tx(false, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT event FROM coord_audit WHERE project = ? ORDER BY seq")) {
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }
}
