package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.model.Decision;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.time.Instant;

/** {@code log_decision}: appends a decision every session can read. */
public final class LogDecisionTool extends AbstractTool {
    public static final String NAME = "log_decision";

    public LogDecisionTool(Coordinator coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Log a decision";
    }

    @Override
    String description() {
        return """
                Record a decision other sessions must follow: an API shape, naming rule, library, schema change, or \
                something NOT to do. Appended to the shared log and shown in everyone's status; not for progress \
                notes. To change one, log a new decision with supersedes set to the old id. Returns its id.""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(false, false, false);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(String id, String category, String title, Instant createdAt, String supersedes) {}

    @Override
    Object call(Args args) {
        Decision d = coord.decisions()
                .log(
                        args.string("category"),
                        args.string("title"),
                        args.string("description"),
                        args.string("scope"),
                        args.strings("tags"),
                        args.string("supersedes"));
        return new Result(d.id(), d.category(), d.title(), Views.seconds(d.createdAt()), d.supersedes());
    }
}
