package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.model.HolderRef;
import dev.coord.engine.model.NotHeld;
import dev.coord.engine.service.LockService;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.function.Supplier;

/** {@code release_lock}: gives locks back. */
public final class ReleaseLockTool extends AbstractTool {
    public static final String NAME = "release_lock";

    public ReleaseLockTool(Supplier<Coordinator> coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Release locks";
    }

    @Override
    String description() {
        return """
                Release locks when done with the files (paths, or all=true). changed=true: the file differs from \
                when you locked it. not_held LOCK_LOST: your lease expired or was force-released; re-read and \
                re-acquire first. force=true with a reason frees another session's locks: only for a stuck or gone \
                holder, after asking the user.""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(false, true, true);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(String path, long token, Boolean changed, String forcedFrom) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Missing(String path, ErrorCode code, HolderRef heldBy, Long token) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(List<Item> released, List<Missing> notHeld, List<String> notices) {}

    @Override
    Object call(Args args) {
        LockService.ReleaseResult result = release(
                coord().locks(), args.strings("paths"), args.bool("all"), args.bool("force"), args.string("reason"));
        List<Item> released = result.released().stream()
                .map(r -> new Item(r.path(), r.token(), r.changed(), r.forcedFrom()))
                .toList();
        List<Missing> missing = result.outcome().notHeld().stream()
                .map((NotHeld n) -> new Missing(n.path(), n.code(), n.heldBy(), n.token() == 0 ? null : n.token()))
                .toList();
        return new Result(released, missing, Views.notices(result.outcome().notices()));
    }

    /** Checks the arguments as the model sent them, then releases. */
    static LockService.ReleaseResult release(
            LockService locks, List<String> paths, boolean all, boolean force, String reason) {
        boolean named = paths != null && !paths.isEmpty();
        if (all && named) {
            throw CoordException.invalidArgument("give either paths or all: true, not both");
        }
        if (!all && !named) {
            throw CoordException.invalidArgument("paths must list at least one path, or set all: true");
        }
        if (force && all) {
            throw CoordException.invalidArgument("force applies to named paths only; list the paths to take over");
        }
        String why = AcquireLockTool.reason(reason);
        if (force && why == null) {
            throw CoordException.invalidArgument(
                    "force: true needs a reason: it is recorded in the audit log and shown to the holder");
        }
        if (named) {
            AcquireLockTool.checkPaths(paths);
        }
        return locks.release(all ? null : paths, force, why);
    }
}
