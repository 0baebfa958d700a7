package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.model.AcquireOutcome;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;

/** {@code acquire_lock}: advisory locks on files and directories, all or nothing. */
public final class AcquireLockTool extends AbstractTool {
    public static final String NAME = "acquire_lock";
    static final int MAX_CONFLICTS = 20;

    public AcquireLockTool(Coordinator coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Lock files before editing";
    }

    @Override
    String description() {
        return """
                Lock repository files or directories before you edit files that other sessions might touch. \
                Locks are advisory: they protect you only if every session asks first. A path ending in / locks \
                the whole directory; several paths are granted all together or not at all. Use mode "shared" to \
                read something while keeping writers out. Locking a path you already hold renews it. Leases last \
                ttl_seconds (default 30 min) and every coord call you make renews them; release_lock when done.
                Returns acquired=true with a fencing token per path, or acquired=false with conflicts naming who \
                holds what (their task and until when): that is a normal answer, not an error. Then work on \
                something else, retry later, pass wait_seconds to queue for it, or ask the holder's user. Never \
                edit a path you did not get. If a lock has changed_since_release=true, the file was edited outside \
                any lock since it was last released: re-read it before editing.
                Errors: INVALID_PATH for paths outside the repository or malformed (use forward slashes, relative \
                to the repository root); INVALID_ARGUMENT for bad ttl or wait values.""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(false, false, true);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(
            boolean acquired,
            List<Views.GrantView> locks,
            List<Views.ConflictView> conflicts,
            Integer moreConflicts,
            List<String> notices) {}

    @Override
    Object call(Args args) {
        AcquireOutcome out = coord.locks()
                .acquire(
                        args.strings("paths"),
                        args.string("mode"),
                        args.integer("ttl_seconds"),
                        args.string("reason"),
                        args.integer("wait_seconds"));
        List<Views.ConflictView> conflicts = out.conflicts().stream()
                .limit(MAX_CONFLICTS)
                .map(Views.ConflictView::of)
                .toList();
        int more = out.conflicts().size() - conflicts.size();
        return new Result(
                out.acquired(),
                out.grants().stream().map(Views.GrantView::of).toList(),
                conflicts,
                more > 0 ? more : null,
                Views.notices(out.notices()));
    }
}
