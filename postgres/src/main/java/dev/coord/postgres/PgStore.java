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
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.rules.LockRules;
import dev.coord.engine.rules.MissionRules;
import dev.coord.engine.rules.MissionTable;
import dev.coord.engine.rules.RegistryRules;
import dev.coord.engine.rules.State;
import dev.coord.engine.store.RulesStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * the engine's {@link State} and {@link MissionTable}, runs the same {@link RegistryRules}, {@link LockRules} and {@link MissionRules} as the file
 * store, and writes back only the rows that changed. Fencing tokens come from a sequence. A failure anywhere rolls the
 * whole transaction back.
 *
 * <p>Three parts: this class (the store's operations and the decision log), {@link PgRows} (loading and writing a
 * project's rows) and {@link PgConnection} (one connection per store object, callers serialized on it; a connection
 * error closes it and fails the call with {@link ErrorCode#STORE_UNAVAILABLE}; the next call reconnects, with
 * back-off after repeated failures; serialization failures and deadlocks are retried).
 *
 * <p>{@link #exclusively} serializes the local mission file moves of the processes sharing one clone with a lock file
 * in the clone's local state directory: those files are local, so a lock held in the database would only make other
 * machines wait for nothing, and a session advisory lock of a vanished host could block them for hours.
 */
public final class PgStore extends RulesStore {
    private static final Logger LOG = LoggerFactory.getLogger(PgStore.class);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    /** In-JVM half of {@link #exclusively}: FileChannel locks are per process, not per thread. */
    private static final Map<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private final PgUrl url;
    private final String project;
    private final Path localDir;
    private final Supplier<Duration> clockOffset;
    private final PgConnection db;
    private final PgRows rows;

    private PgStore(PgUrl url, String project, Path localDir, LivenessJudge judge, Supplier<Duration> clockOffset) {
        super(judge);
        this.url = url;
        this.project = project;
        this.localDir = localDir.toAbsolutePath().normalize();
        this.clockOffset = clockOffset;
        this.db = new PgConnection(url);
        this.rows = new PgRows(project, clockOffset);
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
        store.db.open(c -> {
            int applied = Migrations.apply(c);
            if (applied > 0) {
                LOG.info("{}: applied {} schema migration(s), now at version {}", url, applied, Migrations.latest());
            }
            c.setAutoCommit(false);
            store.rows.ensureProject(c);
            c.commit();
            return null;
        });
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
            PgRows.Loaded l = rows.load(c, false);
            registryRules.sweep(l.state, false);
            return snapshot(l.state, List.of());
        });
    }

    @Override
    public Decision appendDecision(Instance caller, DecisionDraft draft) {
        return tx(true, c -> {
            PgRows.Loaded l = rows.load(c, true);
            State s = l.state;
            keepForLater(s, caller, registryRules.enter(s, caller, true));
            String day = DAY.format(s.now());
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
                    s.now(),
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
            rows.save(c, l);
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
        return tx(false, c -> rows.missions(c).list());
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
        db.close();
    }

    // ---------------------------------------------------------------- transactions

    private <T> T tx(boolean writes, PgConnection.SqlWork<T> work) {
        return db.tx(writes, work);
    }

    @Override
    protected <T> T transact(Function<State, T> body) {
        return tx(true, c -> {
            PgRows.Loaded l = rows.load(c, true);
            T result = body.apply(l.state);
            rows.save(c, l);
            return result;
        });
    }

    @Override
    protected <T> T transactMissions(BiFunction<State, MissionTable, T> body) {
        return tx(true, c -> {
            PgRows.Loaded l = rows.load(c, true);
            RowTable.Rows<MissionClaim> before = rows.missions(c);
            MissionTable t = new MissionTable(l.nextRev, before.values.values());
            T result = body.apply(l.state, t);
            rows.saveMissions(c, l, before, t);
            rows.save(c, l);
            return result;
        });
    }

    @Override
    protected <T> T transactMessages(boolean withMissions, MessageWork<T> body) {
        return tx(true, c -> {
            PgRows.Loaded l = rows.load(c, true);
            RowTable.Rows<MissionClaim> before = withMissions ? rows.missions(c) : null;
            MissionTable t = before == null ? null : new MissionTable(l.nextRev, before.values.values());
            T result;
            try {
                result = body.apply(l.state, t, new PgMessages(c, project));
            } catch (PgMessages.Failed e) {
                throw e.getCause();
            }
            if (t != null) {
                rows.saveMissions(c, l, before, t);
            }
            rows.save(c, l);
            return result;
        });
    }

    @Override
    protected <T> T viewMessages(Function<dev.coord.engine.store.MessageBox, T> body) {
        return tx(false, c -> {
            try {
                return body.apply(new PgMessages(c, project));
            } catch (PgMessages.Failed e) {
                throw e.getCause();
            }
        });
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
