package dev.coord.server.cli;

import dev.coord.engine.json.Json;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ExitCodes;
import dev.coord.server.store.Stores;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coord cleanup}: removes now what dead instances left behind, and says how much. */
@Command(
        name = "cleanup",
        mixinStandardHelpOptions = true,
        description = {
            "Remove dead instances, their locks, expired leases and void waits now, and the damaged state files",
            "set aside (<name>.corrupt-<time>).",
            "Live sessions do this on every call; this is for a repository nobody works in."
        })
final class CleanupCommand implements Callable<Integer> {
    private final CliEnv ctx;

    @Option(names = "--json", description = "Print the counts as JSON.")
    boolean json;

    CleanupCommand(CliEnv ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Map<String, Integer> removed = new LinkedHashMap<>();
        try (CoordStore store = ctx.openExistingStore()) {
            if (store == null) {
                removed.put("instances", 0);
                removed.put("locks", 0);
                removed.put("waiters", 0);
                removed.put("set_aside_files", 0);
            } else if (Stores.fileStateDir(store) == null) {
                Map<String, Long> before = Stores.counts(store);
                int total = store.cleanup();
                Map<String, Long> after = Stores.counts(store);
                removed.put("instances", (int) (before.get("instances") - after.get("instances")));
                removed.put("locks", (int) (before.get("locks") - after.get("locks")));
                removed.put("waiters", Math.max(0, total - removed.get("instances") - removed.get("locks")));
            } else {
                RawState before = RawState.read(Stores.fileStateDir(store));
                int total = store.cleanup();
                RawState after = RawState.read(Stores.fileStateDir(store));
                removed.put(
                        "instances",
                        before.instanceIds().size() - after.instanceIds().size());
                removed.put("locks", before.locks().size() - after.locks().size());
                removed.put("waiters", Math.max(0, total - removed.get("instances") - removed.get("locks")));
            }
            if (store != null) {
                removed.put("set_aside_files", Stores.removeSetAside(store));
            }
        }
        if (json) {
            ctx.out().println(Json.mapper().writeValueAsString(removed));
        } else {
            ctx.out()
                    .println("removed " + removed.get("instances") + " dead instance(s), " + removed.get("locks")
                            + " lock(s), " + removed.get("waiters") + " wait(s) and " + removed.get("set_aside_files")
                            + " damaged file(s) set aside");
        }
        return ExitCodes.SUCCESS;
    }
}
