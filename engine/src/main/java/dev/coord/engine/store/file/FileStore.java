package dev.coord.engine.store.file;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.io.AtomicFiles;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.rules.MissionTable;
import dev.coord.engine.rules.State;
import dev.coord.engine.store.RulesStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default store: files in one state directory shared by every process of a repository.
 *
 * <pre>
 * coord.lock       the cross-process mutex (never read, written or deleted)
 * registry.json    live instances, pending notices, tombstones of dead instances
 * locks.json       lock table, wait queue, fencing-token counter
 * releases.jsonl   release marks (what a file looked like at its last release), read incrementally
 * decisions.jsonl  append-only decisions, forced to disk
 * missions.json    mission claim records and their revision counter
 * missions.lock    the mutex of {@link #exclusively exclusively("missions")}: mission file moves
 * messages.jsonl   append-only messages between sessions, forced to disk; message-reads.json: read marks
 * audit.jsonl      append-only coordination events
 * </pre>
 *
 * Every mutation runs under {@link FileMutex}; state documents are replaced atomically, so readers without the mutex
 * never see a torn file.
 */
public final class FileStore extends RulesStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    private final Path dir;
    private final Clock clock;
    private final FileStoreOptions options;
    private final FileMutex mutex;
    private final JsonDocFile<RegistryDoc> registry;
    private final JsonDocFile<TableDoc> table;
    private final JsonDocFile<MissionsDoc> missions;
    private final StateRebuild rebuild;
    private final StateDocFiles files;
    private final NamedMutexes named;
    private final ReleaseLog releases;
    private final DecisionLog decisions;
    private final AppendLog audit;
    private final AuditTail auditTail;
    private final MessageFiles messages;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final boolean readOnly;

    private FileStore(Path dir, Clock clock, LivenessJudge judge, FileStoreOptions options, boolean readOnly)
            throws IOException {
        super(judge);
        this.dir = dir;
        this.clock = clock;
        this.options = options;
        this.readOnly = readOnly;
        if (!readOnly) {
            Files.createDirectories(dir);
        }
        this.mutex = readOnly ? null : new FileMutex(dir);
        this.named = new NamedMutexes(dir);
        StateDocFiles files = new StateDocFiles(dir, clock, problems::add);
        this.files = files;
        this.registry = files.registry;
        this.table = files.table;
        this.missions = files.missions;
        this.rebuild = files.rebuild;
        this.releases = new ReleaseLog(dir.resolve("releases.jsonl"), clock, problems::add);
        this.decisions = new DecisionLog(dir.resolve("decisions.jsonl"));
        this.audit = new AppendLog(dir.resolve("audit.jsonl"), false, options.auditRotateBytes());
        this.auditTail = new AuditTail(dir.resolve("audit.jsonl"));
        this.messages = new MessageFiles(dir, clock, problems::add);
    }

    /** Opens (creating if needed) the store in {@code dir}, cleaning temp files left by crashed writers. */
    public static FileStore open(Path dir, Clock clock, LivenessJudge judge, FileStoreOptions options) {
        try {
            FileStore store = new FileStore(dir, clock, judge, options, false);
            StoreJson.warmUp(clock.instant());
            try (FileMutex.Held held = store.mutex.lock()) {
                int removed = AtomicFiles.deleteOrphanTemps(dir);
                if (removed > 0) {
                    LOG.info("removed {} temp file(s) left by interrupted writers in {}", removed, dir);
                }
                store.files.checkAll();
            }
            return store;
        } catch (IOException e) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot open the state directory " + dir + ": " + dev.coord.engine.IoProblems.describe(e, dir),
                    e);
        } catch (UncheckedIOException e) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot open the state directory " + dir + ": "
                            + dev.coord.engine.IoProblems.describe(e.getCause(), dir),
                    e);
        }
    }

    /**
     * Opens the store for reading only ({@code coord status} and the other read-only commands): it takes no mutex and
     * never creates, renames, rewrites or deletes a file; a damaged document reads as empty and is left for the next
     * writer to set aside. Every mutation fails with {@code STORE_UNAVAILABLE}.
     */
    public static FileStore openReadOnly(Path dir, Clock clock, LivenessJudge judge) {
        try {
            return new FileStore(dir, clock, judge, FileStoreOptions.defaults(), true);
        } catch (IOException e) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot open the state directory " + dir + ": " + dev.coord.engine.IoProblems.describe(e, dir),
                    e);
        }
    }

    /**
     * Reads the append-only logs (release marks, the decision index) into memory without the mutex. Otherwise the
     * first transaction that needs them parses them while holding the cross-process mutex: 0.1-0.3 s for 10,000 marks,
     * over a second for 100,000 decisions, during which every other process waits. Optional; call it off the
     * critical path (the server does, shortly after start).
     */
    @Override
    public void warmUp() {
        try {
            releases.prime();
            decisions.prime();
        } catch (IOException | RuntimeException e) {
            LOG.debug("warming up {}: {}", dir, e.toString());
        }
    }

    @Override
    public String describe() {
        return "file:" + dir;
    }

    public Path directory() {
        return dir;
    }

    /**
     * Damaged state files set aside, for status, for as long as they lie in the state directory (until a person
     * looks at them and deletes them, or runs {@code coord cleanup}), whichever process set them aside: with the
     * reason where this process did it, else the file's name.
     */
    public List<String> problems() {
        return SetAsideFiles.describe(problems, SetAsideFiles.list(dir));
    }

    /** Deletes the damaged files set aside in the state directory; returns how many. */
    public int removeSetAside() {
        int removed = 0;
        for (Path p : SetAsideFiles.list(dir)) {
            try {
                if (Files.deleteIfExists(p)) {
                    removed++;
                }
            } catch (IOException e) {
                throw unavailable(e);
            }
        }
        return removed;
    }

    @Override
    public List<AuditEvent> recentAudit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        try {
            return auditTail.newest(limit);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Snapshot read() {
        try {
            State s = StateDocs.load(clock.instant(), registry.read(false), table.read(false))
                    .state();
            registryRules.sweep(s, false);
            return snapshot(s, List.of());
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Decision appendDecision(Instance caller, DecisionDraft draft) {
        return transact(s -> {
            keepForLater(s, caller, registryRules.enter(s, caller, true));
            try {
                Decision d = decisions.append(caller, draft, s.now());
                s.audit("decision", caller.id(), null, null, Map.of("id", d.id(), "category", d.category()));
                return d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public List<Decision> decisions(DecisionQuery query) {
        try {
            return DecisionSearch.newest(decisions, query);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<Decision> decision(String id) {
        try {
            return decisions.byId(id);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Map<String, String> supersededBy(java.util.Collection<String> ids) {
        try {
            return decisions.supersededBy(ids);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<MissionClaim> missions() {
        try {
            return missions.read(false).missions();
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public <T> T exclusively(String name, Supplier<T> work) {
        checkExclusiveName(name);
        refuseIfReadOnly();
        FileMutex m;
        try {
            m = named.get(name);
        } catch (IOException e) {
            throw unavailable(e);
        }
        if (m.heldByCurrentThread()) {
            return work.get();
        }
        try (FileMutex.Held held = m.lock()) {
            return work.get();
        }
    }

    @Override
    public void close() {
        if (readOnly) {
            return;
        }
        named.close();
        try {
            mutex.close();
        } catch (IOException e) {
            LOG.debug("closing the mutex of {}: {}", dir, e.toString());
        }
    }

    /** A transaction that also reads and writes the mission records. */
    @Override
    protected <T> T transactMissions(BiFunction<State, MissionTable, T> body) {
        return transact(s -> {
            try {
                MissionTable t = StateDocs.missionTable(missions.read(true));
                // a rebuild of missions.json wrote its notices to registry.json, loaded before it: keep them
                rebuild.takeMissionNotices().forEach(n -> s.notify(n.getKey(), n.getValue()));
                T result = body.apply(s, t);
                if (t.dirty()) {
                    missions.write(StateDocs.missionsDoc(t), options.fsyncState());
                }
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    protected <T> T transactMessages(boolean withMissions, MessageWork<T> body) {
        BiFunction<State, MissionTable, T> inner = (s, t) -> messages.inTransaction(box -> body.apply(s, t, box));
        return withMissions ? transactMissions(inner) : transact(s -> inner.apply(s, null));
    }

    @Override
    protected <T> T viewMessages(Function<dev.coord.engine.store.MessageBox, T> body) {
        try {
            return messages.view(body);
        } catch (UncheckedIOException e) {
            throw unavailable(e.getCause());
        }
    }

    @Override
    protected <T> T transact(Function<State, T> body) {
        refuseIfReadOnly();
        ReleaseLog.Tx marks = releases.begin();
        try (FileMutex.Held held = mutex.lock()) {
            TableDoc tableDoc = table.read(true);
            StateDocs.Loaded loaded = StateDocs.load(clock.instant(), registry.read(true), tableDoc, marks);
            State s = loaded.state();
            if (!tableDoc.releases().isEmpty()) {
                // written by an older coord: carry them over to releases.jsonl and drop them from locks.json
                marks.importLegacy(tableDoc.releases());
                s.rewriteTable();
            }
            T result = body.apply(s);
            if (!s.auditEvents().isEmpty()) {
                audit.append(StoreJson.auditBytes(s.auditEvents()));
            }
            marks.commit();
            if (s.tableDirty()) {
                table.write(StateDocs.tableDoc(loaded), options.fsyncState());
            }
            if (s.registryDirty()) {
                registry.write(StateDocs.registryDoc(s), options.fsyncState());
            }
            return result;
        } catch (IOException e) {
            throw unavailable(e);
        } catch (UncheckedIOException e) {
            throw unavailable(e.getCause());
        } finally {
            marks.abandon();
        }
    }

    private void refuseIfReadOnly() {
        if (readOnly) {
            throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "the store " + dir + " was opened read-only");
        }
    }

    private CoordException unavailable(IOException e) {
        return new CoordException(
                ErrorCode.STORE_UNAVAILABLE,
                "state directory " + dir + " failed: " + dev.coord.engine.IoProblems.describe(e, dir) + hint(e),
                e);
    }

    /**
     * What a person can do about a failed write. The state documents are replaced whole or not at all, so a failed
     * call changed none of them; it was not acknowledged, and the same call succeeds once the cause is gone.
     */
    static String hint(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
            return " (the disk is full; the call did not take effect: free space, then retry)";
        }
        if (m.contains("Read-only file system")) {
            return " (the file system is read-only; the call did not take effect: make it writable, then retry)";
        }
        return "";
    }
}
