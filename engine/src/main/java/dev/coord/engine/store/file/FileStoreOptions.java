package dev.coord.engine.store.file;

/**
 * Durability and housekeeping settings of the file store.
 *
 * @param fsyncState force {@code registry.json}, {@code locks.json} and {@code missions.json} to disk on every write.
 *     Off by default: a power loss or kernel crash also kills every process whose locks and registrations these files
 *     describe, so after a reboot they are void anyway (a new boot id makes every old instance dead), and a mission
 *     claim lost that way only makes its mission claimable again (or leaves its file in {@code active/} naming a dead
 *     claimer, which coord shows as stranded); the atomic rename alone protects against process crashes. Decisions
 *     are always forced.
 * @param auditRotateBytes size at which {@code audit.jsonl} is rotated to {@code audit.jsonl.1}
 */
public record FileStoreOptions(boolean fsyncState, long auditRotateBytes) {
    public static FileStoreOptions defaults() {
        return new FileStoreOptions(false, 16L * 1024 * 1024);
    }
}
