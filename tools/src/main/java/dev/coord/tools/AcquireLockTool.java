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
                Lock files or directories before editing what other sessions might touch (advisory). A path ending \
                in / locks its subtree; paths are granted all or none; mode shared lets others read. Locking a path \
                you hold renews it; any coord call renews your leases. acquired=false is an answer, not an error: \
                conflicts say who holds what until when. Never edit a path you did not get: do something else, \
                retry, pass wait_seconds, or ask the user. changed_since_release=true: the file was edited outside \
                any lock; re-read it.""";
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
