package dev.coord.engine.store.file;

import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.rules.MissionTable;
import dev.coord.engine.rules.ReleaseMarks;
import dev.coord.engine.rules.State;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/** Converts between the file store's documents and the store-neutral {@link State} and {@link MissionTable}. */
final class StateDocs {
    private StateDocs() {}

    /** The token counter of {@code locks.json}, advanced by the rules during one transaction. */
    static final class Counter implements LongSupplier {
        private long next;

        Counter(long next) {
            this.next = Math.max(1, next);
        }

        @Override
        public long getAsLong() {
            return next++;
        }

        long next() {
            return next;
        }
    }

    /** A loaded state and the counter its tokens come from. */
    record Loaded(State state, Counter tokens) {}

    /** Loads the state for reading only: without release marks, which no read uses. */
    static Loaded load(Instant now, RegistryDoc registry, TableDoc table) {
        return load(now, registry, table, new ReleaseMarks.InMemory());
    }

    /**
     * Loads the state with release marks kept elsewhere (the release log); marks still found in {@code table} (written
     * by an older coord) are not loaded: the caller carries them over.
     */
    static Loaded load(Instant now, RegistryDoc registry, TableDoc table, ReleaseMarks releases) {
        Counter tokens = new Counter(table.nextToken());
        State s = new State(now, tokens, releases)
                .load(registry.instances(), registry.tombstones(), registry.notices(), table.locks(), table.waiters());
        return new Loaded(s, tokens);
    }

    static RegistryDoc registryDoc(State s) {
        return new RegistryDoc(RegistryDoc.VERSION, List.copyOf(s.instances()), s.tombstones(), s.pendingNotices());
    }

    static TableDoc tableDoc(Loaded l) {
        State s = l.state();
        // release marks live in releases.jsonl (ReleaseLog); the field stays, empty, for older readers
        return new TableDoc(TableDoc.VERSION, l.tokens().next(), s.locks(), s.waiters(), List.of());
    }

    static MissionTable missionTable(MissionsDoc doc) {
        return new MissionTable(doc.nextRev(), doc.missions());
    }

    static MissionsDoc missionsDoc(MissionTable t) {
        List<MissionClaim> all = t.all();
        return new MissionsDoc(MissionsDoc.VERSION, t.nextRev(), all);
    }
}
