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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** In-JVM half of {@link #exclusively}: FileChannel locks are per process, not per thread. */
    private static final Map<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private final PgUrl url;
    private final String project;
    private final Path localDir;
    private final Supplier<Duration> clockOffset;
    private final PgConnection db;
    private final PgRows rows;
    private final PgDecisions decisions;

    private PgStore(PgUrl url, String project, Path localDir, LivenessJudge judge, Supplier<Duration> clockOffset) {
        super(judge);
        this.url = url;
        this.project = project;
        this.localDir = localDir.toAbsolutePath().normalize();
        this.clockOffset = clockOffset;
        this.db = new PgConnection(url);
        this.rows = new PgRows(project, clockOffset);
        this.decisions = new PgDecisions(project);
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
            Decision d = decisions.append(c, caller, draft, s.now());
            s.audit("decision", caller.id(), null, null, Map.of("id", d.id(), "category", d.category()));
            rows.save(c, l);
            return d;
        });
    }

    @Override
    public List<Decision> decisions(DecisionQuery query) {
        return tx(false, c -> decisions.query(c, query));
    }

    @Override
    public Optional<Decision> decision(String id) {
        return tx(false, c -> decisions.byId(c, id));
    }

    @Override
    public Map<String, String> supersededBy(Collection<String> ids) {
        return ids.isEmpty() ? Map.of() : tx(false, c -> decisions.supersededBy(c, ids));
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
