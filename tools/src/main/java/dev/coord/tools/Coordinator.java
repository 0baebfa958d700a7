package dev.coord.tools;

import dev.coord.engine.EngineSettings;
import dev.coord.engine.Session;
import dev.coord.engine.Sleeper;
import dev.coord.engine.git.RadarResult;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.repo.RepoLayout;
import dev.coord.engine.service.ActivityService;
import dev.coord.engine.service.DecisionService;
import dev.coord.engine.service.EditGuardService;
import dev.coord.engine.service.GitGuardService;
import dev.coord.engine.service.HookSettings;
import dev.coord.engine.service.LockService;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.service.StandardNews;
import dev.coord.engine.service.StatusService;
import dev.coord.engine.service.WaitWatch;
import dev.coord.engine.store.CoordStore;
import java.nio.file.Path;
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
 * @param guard the edit guard and edit claims Claude Code's hooks call
 * @param activity lease renewal and news on the session's activity, for the hooks
 * @param git the Bash guard for shared worktrees and the changed-elsewhere warning, for the hooks
 */
public record Coordinator(
        Session session,
        LockService locks,
        DecisionService decisions,
        StatusService status,
        MissionService missions,
        EditGuardService guard,
        ActivityService activity,
        GitGuardService git) {
    public Coordinator {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(locks, "locks");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(missions, "missions");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(git, "git");
    }

    /** Lets status and the hooks use the git radar's newest result (a supplier that answers at once). */
    public void useRadar(Supplier<RadarResult> radar) {
        status.useRadar(radar);
        git.useRadar(radar);
    }

    /** Wires the services of one session over a store, with the default hook settings and no git commit check. */
    public static Coordinator create(
            CoordStore store,
            Session session,
            PathPolicy paths,
            EngineSettings settings,
            Sleeper sleeper,
            Supplier<List<String>> problems,
            MissionService missions) {
        Path root = paths.root();
        return create(
                store,
                session,
                paths,
                settings,
                sleeper,
                problems,
                missions,
                HookSettings.defaults(),
                new RepoLayout(root, root, root, null, null, null, false));
    }

    /** Wires the services of one session over a store. */
    public static Coordinator create(
            CoordStore store,
            Session session,
            PathPolicy paths,
            EngineSettings settings,
            Sleeper sleeper,
            Supplier<List<String>> problems,
            MissionService missions,
            HookSettings hooks,
            RepoLayout layout) {
        WaitWatch watch = new WaitWatch();
        EditGuardService guard = new EditGuardService(store, session, paths, hooks, watch, layout);
        return new Coordinator(
                session,
                new LockService(store, session, paths, settings, sleeper, watch),
                new DecisionService(store, session),
                new StatusService(store, session, paths, problems, missions),
                missions,
                guard,
                new ActivityService(store, session, guard, StandardNews.all(store, session::id, watch)),
                new GitGuardService(store, session, paths));
    }
}
