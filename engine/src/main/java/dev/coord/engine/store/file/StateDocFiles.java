package dev.coord.engine.store.file;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The three state documents of a state directory ({@code registry.json}, {@code locks.json}, {@code missions.json})
 * and their rebuild from the audit log when one of them is damaged ({@link StateRebuild}).
 */
final class StateDocFiles {
    final JsonDocFile<RegistryDoc> registry;
    final JsonDocFile<TableDoc> table;
    final JsonDocFile<MissionsDoc> missions;
    final StateRebuild rebuild;

    /**
     * @param problems told about every damaged document set aside
     */
    StateDocFiles(Path dir, Clock clock, Consumer<String> problems) {
        TokenScan tokens = new TokenScan(dir);
        this.registry = new JsonDocFile<>(
                dir.resolve("registry.json"),
                RegistryDoc.class,
                RegistryDoc::schemaVersion,
                RegistryDoc.VERSION,
                RegistryDoc::empty,
                clock,
                problems);
        this.table = new JsonDocFile<>(
                dir.resolve("locks.json"),
                TableDoc.class,
                TableDoc::schemaVersion,
                TableDoc.VERSION,
                () -> TableDoc.empty(tokens.nextToken()),
                clock,
                problems);
        this.missions = new JsonDocFile<>(
                dir.resolve("missions.json"),
                MissionsDoc.class,
                MissionsDoc::schemaVersion,
                MissionsDoc.VERSION,
                MissionsDoc::empty,
                clock,
                problems);
        this.rebuild = new StateRebuild(dir, clock, registry, table, missions);
        registry.afterDamage(rebuild::registry);
        table.afterDamage(rebuild::table);
        missions.afterDamage(rebuild::missions);
    }

    /**
     * Reads every document once, under the store's mutex, when the store opens: a damaged one is set aside and
     * rebuilt now rather than in the middle of a later call.
     */
    void checkAll() throws IOException {
        registry.read(true);
        table.read(true);
        missions.read(true);
        rebuild.takeMissionNotices(); // written to registry.json by the rebuild itself
    }
}
