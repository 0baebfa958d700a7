package dev.coord.tools;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.Session;
import dev.coord.engine.service.DecisionService;
import dev.coord.engine.service.LockService;
import dev.coord.engine.service.MissionService;
import java.util.Objects;

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

    /** The tools' view of an engine: its services, and status reports over them. */
    public static Coordinator of(CoordEngine engine) {
        return new Coordinator(
                engine.session(),
                engine.locks(),
                engine.decisions(),
                new StatusReports(
                        engine.store(), engine.session(), engine.paths(), engine::problems, engine.missions()),
                engine.missions());
    }
}
