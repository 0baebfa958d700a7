package dev.coord.engine.store.file;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.ReleaseMark;
import dev.coord.engine.model.Waiter;
import java.util.List;

/** The content of {@code locks.json}: the lock table, the wait queue, the token counter and release marks. */
record TableDoc(
        @JsonProperty("schemaVersion") int schemaVersion,
        long nextToken,
        List<LockRecord> locks,
        List<Waiter> waiters,
        List<ReleaseMark> releases) {

    static final int VERSION = 1;

    TableDoc {
        locks = locks == null ? List.of() : List.copyOf(locks);
        waiters = waiters == null ? List.of() : List.copyOf(waiters);
        releases = releases == null ? List.of() : List.copyOf(releases);
    }

    static TableDoc empty(long nextToken) {
        return new TableDoc(VERSION, nextToken, List.of(), List.of(), List.of());
    }
}
