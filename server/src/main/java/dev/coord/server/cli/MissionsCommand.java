package dev.coord.server.cli;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.repo.RepoLocator;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ExitCodes;
import dev.coord.tools.MissionsView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coord missions [list]}: the missions folder, with who holds each active mission. Read-only. */
@Command(
        name = "missions",
        mixinStandardHelpOptions = true,
        description = "List the missions: active ones with their claimer, queued ones best first (read-only).",
        subcommands = {MissionsCommand.ListMissions.class})
final class MissionsCommand implements Callable<Integer> {
    private final CliEnv ctx;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    MissionsCommand(CliEnv ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        return list(ctx, json);
    }

    static int list(CliEnv ctx, boolean json) {
        MissionsView view;
        try (CoordStore store = ctx.openExistingStoreReadOnly()) {
            Snapshot snap = store == null
                    ? new Snapshot(ctx.clock().instant(), List.of(), List.of(), List.of(), List.of())
                    : store.read();
            List<MissionClaim> claims = store == null ? List.of() : store.missions();
            view = MissionsView.read(ctx.missionPaths(), snap, claims);
        }
        if (view == null) {
            ctx.err()
                    .println("coord: no missions folder at " + RepoLocator.missionsDir(ctx.layout(), ctx.env())
                            + " (create it with coord init --missions, or set COORD_MISSIONS_DIR)");
            return ExitCodes.FAILURE;
        }
        if (json) {
            ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(view));
        } else {
            StatusCommand.renderMissions(view, true, new Ansi(ctx.color()), ctx.out());
        }
        return ExitCodes.SUCCESS;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the missions (the default).")
    static final class ListMissions implements Callable<Integer> {
        private final CliEnv ctx;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        ListMissions(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            return list(ctx, json);
        }
    }
}
