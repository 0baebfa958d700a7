package dev.coord.server.cli;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.path.LockKeys;
import dev.coord.engine.service.LockService;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ExitCodes;
import dev.coord.server.store.Stores;
import dev.coord.tools.StatusReport;
import dev.coord.tools.StatusView;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord locks list | check PATH | release PATH --force --reason R}. */
@Command(
        name = "locks",
        mixinStandardHelpOptions = true,
        description = "List, check or force-release locks.",
        subcommands = {LocksCommand.ListLocks.class, LocksCommand.Check.class, LocksCommand.Release.class})
final class LocksCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: list, check or release");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the valid locks (read-only).")
    static final class ListLocks implements Callable<Integer> {
        private final CliEnv ctx;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        ListLocks(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            StatusView v = StatusCommand.read(ctx, 1);
            if (json) {
                ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(v.locks()));
                return ExitCodes.SUCCESS;
            }
            if (v.locks().isEmpty()) {
                ctx.out().println("no locks");
            }
            Ansi a = new Ansi(ctx.color());
            for (StatusReport.LockLine l : v.locks()) {
                ctx.out()
                        .println(l.path() + "  " + l.mode().wireName()
                                + (Boolean.TRUE.equals(l.auto()) ? " (edit claim)" : "") + "  " + l.holder()
                                + (l.holderTask() == null ? "" : " (" + l.holderTask() + ")")
                                + a.dim("  until " + l.expiresAt() + ", token " + l.token()));
            }
            return ExitCodes.SUCCESS;
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Tell whether a path is locked (read-only).",
                "Exit 0 free, 10 held by a live instance, 11 its lease expired, 13 its holder is dead."
            })
    static final class Check implements Callable<Integer> {
        private final CliEnv ctx;

        @Parameters(paramLabel = "PATH", description = "A file or directory, relative to the working directory.")
        String path;

        Check(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            String key = ctx.lockKey(path);
            try (CoordStore store = ctx.openExistingStoreReadOnly()) {
                if (store == null) {
                    ctx.out().println(key + ": free");
                    return ExitCodes.SUCCESS;
                }
                Snapshot snap = store.read();
                Map<String, Instance> live = snap.instances().stream()
                        .collect(Collectors.toMap(Instance::id, i -> i, (x, y) -> x, LinkedHashMap::new));
                List<LockRecord> held = new ArrayList<>();
                for (LockRecord l : snap.locks()) {
                    if (LockKeys.overlaps(l.path(), key)) {
                        held.add(l);
                    }
                }
                if (!held.isEmpty()) {
                    for (LockRecord l : held) {
                        Instance h = live.get(l.holder());
                        ctx.out()
                                .println(key + ": held" + (l.path().equals(key) ? "" : " through " + l.path())
                                        + " (" + l.mode().wireName() + ") by " + l.holder()
                                        + (h == null || h.task() == null ? "" : " (" + h.task() + ")") + " until "
                                        + l.expiresAt().truncatedTo(ChronoUnit.SECONDS));
                    }
                    return ExitCodes.LOCK_HELD;
                }
                Path fileStateDir = Stores.fileStateDir(store);
                RawState raw = fileStateDir == null ? null : RawState.read(fileStateDir);
                Set<String> liveIds = live.keySet();
                for (RawState.RawLock l : raw == null ? List.<RawState.RawLock>of() : raw.locks()) {
                    if (!LockKeys.overlaps(l.path(), key)) {
                        continue;
                    }
                    if (!liveIds.contains(l.holder())) {
                        ctx.out()
                                .println(key + ": free; a lock on " + l.path() + " is left by " + l.holder()
                                        + ", which is no longer alive (coord cleanup removes it)");
                        return ExitCodes.STALE_INSTANCE;
                    }
                    ctx.out()
                            .println(key + ": free; the lease of " + l.holder() + " on " + l.path() + " expired at "
                                    + l.expiresAt().truncatedTo(ChronoUnit.SECONDS));
                    return ExitCodes.LOCK_EXPIRED;
                }
                ctx.out().println(key + ": free");
                return ExitCodes.SUCCESS;
            }
        }
    }

    @Command(
            name = "release",
            mixinStandardHelpOptions = true,
            description = {
                "Force-release other sessions' locks, e.g. left by a session that hangs.",
                "The release is written to the audit log and the holder is told on its next call."
            })
    static final class Release implements Callable<Integer> {
        private final CliEnv ctx;

        @Parameters(paramLabel = "PATH", arity = "1..*", description = "Paths, relative to the working directory.")
        List<String> paths;

        @Option(names = "--force", required = true, description = "Required: the locks are other sessions'.")
        boolean force;

        @Option(names = "--reason", required = true, description = "Why; shown to the holder.")
        String reason;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Release(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            if (!force) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--force is required");
            }
            List<String> keys = new ArrayList<>();
            for (String p : paths) {
                keys.add(ctx.lockKey(p));
            }
            boolean any;
            // the holder is told who released its lock: a person at the command line, by name
            try (CoordEngine engine = ctx.cliEngine(ctx.person() + " at the command line")) {
                LockService.ReleaseResult r = engine.locks().release(keys, true, reason);
                for (LockService.ReleasedLock l : r.released()) {
                    ctx.out()
                            .println("released " + l.path() + " ("
                                    + l.mode().wireName() + ", token "
                                    + l.token() + ")" + (l.forcedFrom() == null ? "" : " from " + l.forcedFrom())
                                    + (Boolean.TRUE.equals(l.changed()) ? "; the file changed while it was held" : ""));
                }
                r.outcome().notHeld().forEach(n -> ctx.out().println(n.path() + ": was not locked"));
                any = !r.released().isEmpty();
            }
            if (!any) {
                ctx.err().println("coord: nothing was released: no lock is held on " + String.join(", ", keys));
                return ExitCodes.FAILURE;
            }
            return ExitCodes.SUCCESS;
        }
    }
}
