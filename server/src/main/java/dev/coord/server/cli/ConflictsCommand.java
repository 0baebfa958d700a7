package dev.coord.server.cli;

import dev.coord.engine.git.Overlap;
import dev.coord.engine.git.RadarResult;
import dev.coord.engine.json.Json;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ExitCodes;
import dev.coord.server.RadarConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coord conflicts}: the overlap radar for people and scripts. It uses the servers' shared result when it is
 * fresh and runs git itself otherwise (a command is not a tool call; it may take the time).
 */
@Command(
        name = "conflicts",
        mixinStandardHelpOptions = true,
        description = {
            "Files that two live sessions both changed (uncommitted, or committed on their branch and not on the base",
            "branch), and whether merging their branches conflicts (git merge-tree; 'unknown' for uncommitted changes",
            "or git older than 2.38). Exit 12 when a conflict is predicted."
        })
final class ConflictsCommand implements Callable<Integer> {
    private final CliEnv ctx;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    ConflictsCommand(CliEnv ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        RadarConfig config = RadarConfig.fromEnv(ctx.env());
        if (!config.enabled()) {
            config = new RadarConfig(RadarConfig.DEFAULT_INTERVAL, config.baseBranch());
        }
        RadarResult result;
        Snapshot snap;
        try (CoordStore store = ctx.openExistingStore()) {
            if (store == null || !ctx.layout().git()) {
                print(null, List.of());
                return ExitCodes.SUCCESS;
            }
            snap = store.read();
            Snapshot seen = snap;
            result = config.refresher(
                            () -> seen,
                            ctx.stateDir(),
                            HostIdentity.current(ctx.env()).host(),
                            ctx.clock())
                    .refresh();
        }
        Map<String, Instance> byId = new HashMap<>();
        snap.instances().forEach(i -> byId.put(i.id(), i));
        List<Overlap> live = result.overlaps().stream()
                .filter(o -> byId.containsKey(o.a()) && byId.containsKey(o.b()))
                .toList();
        print(result, live.stream().map(o -> view(o, byId)).toList());
        return live.stream().anyMatch(o -> Boolean.TRUE.equals(o.conflict())) ? ExitCodes.CONFLICT : ExitCodes.SUCCESS;
    }

    /** One overlap for people and scripts; also what {@code coord dashboard} shows. */
    static Map<String, Object> view(Overlap o, Map<String, Instance> byId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", o.path());
        m.put("sessions", List.of(session(byId.get(o.a())), session(byId.get(o.b()))));
        m.put("conflict", o.conflictText());
        return m;
    }

    private static Map<String, Object> session(Instance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance_id", i.id());
        if (i.task() != null) {
            m.put("task", i.task());
        }
        if (i.branch() != null) {
            m.put("branch", i.branch());
        }
        m.put("worktree", i.worktree());
        return m;
    }

    @SuppressWarnings("unchecked")
    private void print(RadarResult r, List<Map<String, Object>> overlaps) {
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (r != null) {
                out.put("computed_at", r.computedAt().truncatedTo(ChronoUnit.SECONDS));
                out.put("git", r.git());
                out.put("predicted", r.predicted());
                out.put("base", r.base());
            }
            out.put("overlaps", overlaps);
            if (r != null && r.cut()) {
                out.put("cut", true);
            }
            if (r != null && !r.problems().isEmpty()) {
                out.put("problems", r.problems());
            }
            ctx.out().println(Json.mapper().writeValueAsString(out));
            return;
        }
        if (overlaps.isEmpty()) {
            ctx.out().println("no overlaps between live sessions");
        }
        for (Map<String, Object> o : overlaps) {
            List<String> who = new ArrayList<>();
            for (Map<String, Object> s : (List<Map<String, Object>>) o.get("sessions")) {
                who.add(s.get("instance_id") + (s.containsKey("task") ? " (" + s.get("task") + ")" : "") + " in "
                        + s.get("worktree") + (s.containsKey("branch") ? " [" + s.get("branch") + "]" : ""));
            }
            ctx.out().println(o.get("path") + "  conflict: " + o.get("conflict"));
            who.forEach(w -> ctx.out().println("    " + w));
        }
        if (r != null) {
            if (!r.predicted() && r.git() != null) {
                ctx.out().println("git " + r.git() + " cannot predict conflicts (needs 2.38): 'unknown' throughout");
            }
            if (r.cut()) {
                ctx.out().println("(a worktree's changes were cut at their bound: the list may be incomplete)");
            }
            r.problems().forEach(p -> ctx.err().println("coord: " + p));
            ctx.out()
                    .println("computed "
                            + Duration.between(r.computedAt(), ctx.clock().instant())
                                    .toSeconds() + " s ago in " + r.tookMs() + " ms"
                            + (r.base() == null ? "" : ", base " + r.base()));
        }
    }
}
