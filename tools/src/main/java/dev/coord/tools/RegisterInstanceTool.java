package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Snapshot;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.function.Supplier;

/** {@code register_instance}: tells the others what this session works on. */
public final class RegisterInstanceTool extends AbstractTool {
    public static final String NAME = "register_instance";

    public RegisterInstanceTool(Supplier<Coordinator> coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Register this session";
    }

    @Override
    String description() {
        return """
                Set what this session works on (task, role, branch): others see it in status and conflicts, and can \
                message you by role. Call it at the start and when your task changes (you are already registered and \
                kept alive). If active_instances > 0, call status before editing shared files.""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(false, false, true);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(
            String instanceId,
            String task,
            String role,
            String branch,
            String worktree,
            int activeInstances,
            List<String> notices) {}

    @Override
    Object call(Args args) {
        Snapshot snap = coord().session().register(args.string("task"), args.string("role"), args.string("branch"));
        Instance me = coord().session().self();
        int others = (int)
                snap.instances().stream().filter(i -> !i.id().equals(me.id())).count();
        return new Result(
                me.id(), me.task(), me.role(), me.branch(), me.worktree(), others, Views.notices(snap.notices()));
    }
}
