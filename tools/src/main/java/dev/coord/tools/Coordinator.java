package dev.coord.tools;

import dev.coord.engine.EngineSettings;
import dev.coord.engine.Session;
import dev.coord.engine.Sleeper;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.service.DecisionService;
import dev.coord.engine.service.LockService;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.store.CoordStore;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The engine services one server process exposes as tools.
 *
 * @param session this process's registration
 * @param locks lock acquire and release
 * @param decisions decision log
 * @param status status reports
 * @param missions mission claims
 */
public record Coordinator(
        Session session, LockService locks, DecisionService decisions, StatusReports status, MissionService missions) {
    public Coordinator {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(locks, "locks");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(missions, "missions");
    }

    /** Wires the services of one session over a store. */
    public static Coordinator create(
            CoordStore store,
            Session session,
            PathPolicy paths,
            EngineSettings settings,
            Sleeper sleeper,
            Supplier<List<String>> problems,
            MissionService missions) {
        return new Coordinator(
                session,
                new LockService(store, session, paths, settings, sleeper),
                new DecisionService(store, session),
                new StatusReports(store, session, paths, problems, missions),
                missions);
    }
}
