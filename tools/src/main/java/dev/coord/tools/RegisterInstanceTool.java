package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Snapshot;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;

/** {@code register_instance}: tells the others what this session works on. */
public final class RegisterInstanceTool extends AbstractTool {
    public static final String NAME = "register_instance";

    public RegisterInstanceTool(Coordinator coord) {
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
                Declare what this Claude Code session is working on, so that other sessions on this repository \
                see it in their status and in lock conflicts. Call it once at the start of your work, and again \
                whenever your task changes (it replaces the task, and role and branch when given). The session is \
                already registered and kept alive by the server itself; this only sets the task, role and branch. \
                Subagents share your instance.
                Returns your instance_id and how many other sessions are active. If active_instances > 0, call \
                status to see what they hold before you edit shared files.""";
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
        Snapshot snap = coord.session().register(args.string("task"), args.string("role"), args.string("branch"));
        Instance me = coord.session().self();
        int others = (int)
                snap.instances().stream().filter(i -> !i.id().equals(me.id())).count();
        return new Result(
                me.id(), me.task(), me.role(), me.branch(), me.worktree(), others, Views.notices(snap.notices()));
    }
}
