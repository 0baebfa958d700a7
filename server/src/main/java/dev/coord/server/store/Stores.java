package dev.coord.server.store;

import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.repo.RepoLayout;
import dev.coord.engine.store.CoordStore;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import dev.coord.server.ServerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Opens the store the configuration selects: the file store in the state directory (the default), or the PostgreSQL
 * store when {@code COORD_STORE_URL} is set. The PostgreSQL classes (and JDBC) are only loaded in the second case:
 * they are reached through {@link PgStores}, whose methods return and take the SPI type only.
 */
public final class Stores {
    private Stores() {}

    public static CoordStore open(
            ServerConfig config,
            Map<String, String> env,
            RepoLayout layout,
            Path stateDir,
            Clock clock,
            LivenessJudge judge) {
        if (config.storeUrl() != null) {
            return PgStores.open(config.storeUrl(), env, ProjectKey.of(env, layout), stateDir, judge);
        }
        return FileStore.open(
                stateDir,
                clock,
                judge,
                new FileStoreOptions(
                        config.fsyncState(), FileStoreOptions.defaults().auditRotateBytes()));
    }

    /**
     * Opens the store for commands that only read: the file store then takes no mutex and renames, rewrites or deletes
     * nothing ({@link FileStore#openReadOnly}).
     */
    public static CoordStore openReadOnly(
            ServerConfig config,
            Map<String, String> env,
            RepoLayout layout,
            Path stateDir,
            Clock clock,
            LivenessJudge judge) {
        if (config.storeUrl() != null) {
            return open(config, env, layout, stateDir, clock, judge);
        }
        return FileStore.openReadOnly(stateDir, clock, judge);
    }

    /** Deletes the damaged files the file store set aside; 0 for another store. */
    public static int removeSetAside(CoordStore store) {
        return store instanceof FileStore f ? f.removeSetAside() : 0;
    }

    /** Problems the store found and repaired since it opened (the file store's repairs), for status. */
    public static List<String> problems(CoordStore store) {
        return store instanceof FileStore f ? f.problems() : List.of();
    }

    /** The file store's state directory, or null for another store. */
    public static Path fileStateDir(CoordStore store) {
        return store instanceof FileStore f ? f.directory() : null;
    }

    /** Rows per kind ({@code instances}, {@code locks}, {@code waiters}) of a store other than the file store. */
    public static Map<String, Long> counts(CoordStore store) {
        return PgStores.counts(store);
    }
}
