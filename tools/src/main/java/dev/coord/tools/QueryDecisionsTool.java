package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.model.Decision;
import dev.coord.engine.service.DecisionService;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code query_decisions}: reads the shared decision log. */
public final class QueryDecisionsTool extends AbstractTool {
    public static final String NAME = "query_decisions";
    static final int LIST_DESCRIPTION_CHARS = 300;

    public QueryDecisionsTool(Coordinator coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Search decisions";
    }

    @Override
    String description() {
        return """
                Search the shared decision log before designing where others may have decided (APIs, \
                conventions, libraries). Filter by category, text (all words), since, limit; or id alone for one in \
                full. Newest first; lists cut long descriptions (truncated=true). superseded_by: follow the newer \
                one.""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(true, false, true);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(
            String id,
            String category,
            String title,
            String description,
            String scope,
            List<String> tags,
            String author,
            String authorTask,
            Instant createdAt,
            String supersedes,
            String supersededBy,
            Boolean truncated) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(List<Item> decisions, List<String> notices) {}

    @Override
    Object call(Args args) {
        String id = args.string("id");
        DecisionService.DecisionsResult found = coord.decisions()
                .query(
                        id,
                        args.string("category"),
                        args.string("text"),
                        args.string("since"),
                        args.integer("limit") == null
                                ? null
                                : args.integer("limit").intValue());
        Map<String, String> replacedBy = coord.decisions()
                .supersededBy(found.decisions().stream().map(Decision::id).toList());
        boolean full = id != null;
        List<Item> items = found.decisions().stream()
                .map(d -> {
                    String text = d.description();
                    boolean cut = !full && text != null && text.length() > LIST_DESCRIPTION_CHARS;
                    return new Item(
                            d.id(),
                            d.category(),
                            d.title(),
                            cut ? text.substring(0, LIST_DESCRIPTION_CHARS) + "..." : text,
                            d.scope(),
                            d.tags().isEmpty() ? null : d.tags(),
                            d.author(),
                            d.authorTask(),
                            Views.seconds(d.createdAt()),
                            d.supersedes(),
                            replacedBy.get(d.id()),
                            cut ? Boolean.TRUE : null);
                })
                .toList();
        return new Result(items, Views.notices(found.notices()));
    }
}
