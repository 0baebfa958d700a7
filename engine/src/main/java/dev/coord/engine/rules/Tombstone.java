package dev.coord.engine.rules;

import dev.coord.engine.model.LockRecord;
import java.time.Instant;
import java.util.List;

/**
 * What is left of an instance declared dead, so that it learns what it lost if it comes back.
 *
 * @param instance the dead instance's id
 * @param at when it was declared dead
 * @param reason why
 * @param locks the locks it lost
 */
public record Tombstone(String instance, Instant at, String reason, List<LockRecord> locks) {
    public Tombstone {
        locks = locks == null ? List.of() : List.copyOf(locks);
    }
}
