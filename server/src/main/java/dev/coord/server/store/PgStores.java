package dev.coord.server.store;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.store.CoordStore;
import dev.coord.postgres.PgStore;
import dev.coord.postgres.PgUrl;
import dev.coord.server.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The PostgreSQL half of {@link Stores}: the only server class that names the PostgreSQL store. */
final class PgStores {
    private PgStores() {}

    static CoordStore open(String url, Map<String, String> env, String project, Path stateDir, LivenessJudge judge) {
        PgUrl parsed;
        try {
            parsed = PgUrl.parse(url, env);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("COORD_STORE_URL: " + e.getMessage());
        }
        return PgStore.open(parsed, project, stateDir, judge, () -> Duration.ZERO);
    }

    static Map<String, Long> counts(CoordStore store) {
        if (store instanceof PgStore pg) {
            return pg.rowCounts();
        }
        throw new CoordException(ErrorCode.INTERNAL, "no row counts for " + store.describe());
    }
}
