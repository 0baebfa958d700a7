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
        return "Log a decision for other sessions";
    }

    @Override
    String description() {
        return """
                Record a decision that other sessions must know to stay consistent with you: an API shape, a \
                naming rule, a library choice, a schema change, something you decided NOT to do. It is appended \
                to the shared decision log (never edited, kept on disk) and shows up in everyone's status. Do not \
                log progress notes or routine edits. To change an earlier decision, log a new one with supersedes \
                set to the old id.
                Returns the new id (DEC-YYYYMMDD-NNNN). Errors: INVALID_ARGUMENT names the bad field; NOT_FOUND if \
                supersedes names an unknown id (check it with query_decisions).""";
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
