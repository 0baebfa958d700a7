package dev.coord.server.cli;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ExitCodes;
import dev.coord.server.store.Stores;
import dev.coord.tools.MissionViews;
import dev.coord.tools.MissionsView;
import dev.coord.tools.StatusReport;
import dev.coord.tools.StatusView;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coord status}: who is active, what is locked, recent decisions, missions. Read-only: registers nothing. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show the live instances, their locks, the recent decisions and the missions (read-only).")
final class StatusCommand implements Callable<Integer> {
    private final CliEnv ctx;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(
            names = {"-v", "--verbose"},
            description = "Also show pids, hosts, tokens, reasons, start times and more decisions.")
    boolean verbose;

    @Option(
            names = "--watch",
            arity = "0..1",
            fallbackValue = "2",
            paramLabel = "SECONDS",
            description = "Refresh every SECONDS (default 2) until interrupted.")
    Integer watch;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    StatusCommand(CliEnv ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (watch != null) {
            if (json) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--watch is for people; leave out --json");
            }
            if (watch < 1 || watch > 3600) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--watch takes 1 to 3600 seconds, got " + watch);
            }
            Ansi a = new Ansi(ctx.color());
            try {
                while (true) {
                    StatusView view = read(ctx, verbose ? StatusView.RECENT_VERBOSE : StatusView.RECENT);
                    ctx.out().print(ctx.color() ? "\u001b[H\u001b[2J" : "\n");
                    render(view, verbose, a, ctx.out());
                    ctx.out().flush();
                    ctx.sleeper().sleep(Duration.ofSeconds(watch));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.SUCCESS;
            }
        }
        StatusView view = read(ctx, verbose ? StatusView.RECENT_VERBOSE : StatusView.RECENT);
        if (json) {
            ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(view));
        } else {
            render(view, verbose, new Ansi(ctx.color()), ctx.out());
        }
        return ExitCodes.SUCCESS;
    }

    static StatusView read(CliEnv ctx, int decisions) {
        String root = ctx.layout().root().toString();
        String stateDir = ctx.stateDir().toString();
        try (CoordStore store = ctx.openExistingStoreReadOnly()) {
            if (store == null) {
                Snapshot empty = new Snapshot(ctx.clock().instant(), List.of(), List.of(), List.of(), List.of());
                return StatusView.of(root, stateDir, null, empty, List.of(), List.of())
                        .withMissions(MissionsView.read(ctx.missionPaths(), empty, List.of()));
            }
            Snapshot snap = store.read();
            StatusView view = StatusView.of(
                    root,
                    stateDir,
                    store.describe(),
                    snap,
                    store.decisions(new DecisionQuery(null, null, null, decisions)),
                    Stores.problems(store));
            return view.withMissions(MissionsView.read(ctx.missionPaths(), snap, store.missions()));
        }
    }

    static void render(StatusView v, boolean verbose, Ansi a, PrintStream out) {
        out.println(a.bold("coord status") + "  " + v.repository() + a.dim("  at " + v.at()));
        if (verbose) {
            out.println(a.dim("state: " + v.stateDir()));
            if (v.store() != null) {
                out.println(a.dim("store: " + v.store()));
            }
        }
        out.println();
        out.println(a.bold("Instances (" + v.instances().size() + ")"));
        if (v.instances().isEmpty()) {
            out.println("  none");
        }
        for (StatusView.InstanceView i : v.instances()) {
            String age = i.heartbeatAgeS() + "s ago";
            out.println("  " + a.cyan(i.instanceId()) + "  " + orDash(i.role()) + a.dim("  heartbeat " + age) + "  "
                    + i.locks().size() + (i.locks().size() == 1 ? " lock" : " locks"));
            out.println("    task:     " + orDash(i.task()));
            out.println("    branch:   " + orDash(i.branch()));
            out.println("    worktree: " + orDash(i.worktree()));
            if (verbose) {
                out.println("    process:  pid " + i.pid() + " on " + i.host() + ", started " + i.startedAt()
                        + (i.sessionId() == null ? "" : ", session " + i.sessionId()));
            }
            if (!i.locks().isEmpty()) {
                out.println("    holds:    " + String.join(", ", i.locks()));
            }
        }
        out.println();
        out.println(
                a.bold("Locks (" + v.locks().size() + ")") + (v.waiting() > 0 ? "  " + v.waiting() + " waiting" : ""));
        if (v.locks().isEmpty()) {
            out.println("  none");
        }
        for (StatusReport.LockLine l : v.locks()) {
            String mode = l.mode().wireName();
            String styled = l.mode() == LockMode.EXCLUSIVE ? a.yellow(mode) : a.green(mode);
            out.println("  " + l.path() + "  " + styled + (Boolean.TRUE.equals(l.auto()) ? " edit claim" : "") + "  "
                    + l.holder()
                    + (l.holderTask() == null ? "" : " (" + l.holderTask() + ")")
                    + a.dim("  until " + l.expiresAt()));
            if (verbose) {
                out.println("    token " + l.token() + ", since " + l.acquiredAt()
                        + (l.reason() == null ? "" : ", reason: " + l.reason()));
            }
        }
        out.println();
        out.println(a.bold("Recent decisions (" + v.recentDecisions().size() + ")"));
        if (v.recentDecisions().isEmpty()) {
            out.println("  none");
        }
        for (StatusReport.DecisionLine d : v.recentDecisions()) {
            out.println("  " + d.id() + "  " + a.dim("[" + d.category() + "]") + " " + d.title()
                    + a.dim("  " + d.createdAt()));
        }
        if (v.missions() != null) {
            out.println();
            renderMissions(v.missions(), false, a, out);
        }
        if (v.problems() != null) {
            out.println();
            out.println(a.red("Problems"));
            v.problems().forEach(p -> out.println("  " + p));
        }
    }

    /** The missions section; {@code all} lists the queued missions too (else only how many). */
    static void renderMissions(MissionsView m, boolean all, Ansi a, PrintStream out) {
        out.println(a.bold("Missions") + "  " + m.root() + "/: " + m.queued().size() + " queued, "
                + m.active().size() + " active, " + m.done() + " done");
        for (MissionViews.Active x : m.active()) {
            String flags = (Boolean.TRUE.equals(x.alive()) ? "" : "  " + a.red("stranded: its session is gone"))
                    + (Boolean.TRUE.equals(x.stale()) ? "  " + a.yellow("stale: claimed over 24 h ago") : "");
            out.println("  " + a.cyan(x.id()) + "  " + x.title());
            out.println("    claimed by " + orDash(x.claimedBy()) + (x.task() == null ? "" : " (" + x.task() + ")")
                    + a.dim(x.claimedAt() == null ? "" : "  since " + x.claimedAt()) + flags);
        }
        if (all) {
            for (MissionViews.Candidate q : m.queued()) {
                out.println("  " + q.id() + "  " + a.dim("queued, priority " + q.priority()) + "  " + q.title()
                        + (q.waitsFor() == null || q.waitsFor().isEmpty()
                                ? ""
                                : a.dim("  waits for " + String.join(", ", q.waitsFor()))));
            }
        }
        if (m.malformed() != null) {
            for (MissionViews.Malformed bad : m.malformed()) {
                out.println("  " + a.red("unreadable") + " " + bad.path() + ": " + bad.problem());
            }
        }
    }

    static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
