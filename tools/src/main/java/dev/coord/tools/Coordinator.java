package dev.coord.tools;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.Session;
import dev.coord.engine.git.RadarResult;
import dev.coord.engine.service.ActivityService;
import dev.coord.engine.service.DecisionService;
import dev.coord.engine.service.EditGuardService;
import dev.coord.engine.service.GitGuardService;
import dev.coord.engine.service.LockService;
import dev.coord.engine.service.MessageService;
import dev.coord.engine.service.MissionService;
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
 * @param guard the edit guard and edit claims Claude Code's hooks call
 * @param activity lease renewal and news on the session's activity, for the hooks
 * @param git the Bash guard for shared worktrees and the changed-elsewhere warning, for the hooks
 * @param messages messages between sessions
 */
public record Coordinator(
        Session session,
        LockService locks,
        DecisionService decisions,
        StatusReports status,
        MissionService missions,
        EditGuardService guard,
        ActivityService activity,
        GitGuardService git,
        MessageService messages) {
    public Coordinator {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(locks, "locks");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(missions, "missions");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(git, "git");
        Objects.requireNonNull(messages, "messages");
    }

    /** Lets status and the hooks use the git radar's newest result (a supplier that answers at once). */
    public void useRadar(Supplier<RadarResult> radar) {
        status.useRadar(radar);
        git.useRadar(radar);
    }

    /** The tools' view of an engine: its services, and status reports over them. */
    public static Coordinator of(CoordEngine engine) {
        return new Coordinator(
                engine.session(),
                engine.locks(),
                engine.decisions(),
                new StatusReports(
                        engine.store(), engine.session(), engine.paths(), engine::problems, engine.missions()),
                engine.missions(),
                engine.guard(),
                engine.activity(),
                engine.git(),
                engine.messages());
    }
}
