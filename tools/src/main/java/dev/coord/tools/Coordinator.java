package dev.coord.tools;

import dev.coord.engine.Session;
import dev.coord.engine.service.DecisionService;
import dev.coord.engine.service.LockService;
import dev.coord.engine.service.StatusService;
import java.util.Objects;

/**
 * The engine services one server process exposes as tools.
 *
 * @param session this process's registration
 * @param locks lock acquire and release
 * @param decisions decision log
 * @param status status reports
 */
public record Coordinator(Session session, LockService locks, DecisionService decisions, StatusService status) {
    public Coordinator {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(locks, "locks");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(status, "status");
    }
}
