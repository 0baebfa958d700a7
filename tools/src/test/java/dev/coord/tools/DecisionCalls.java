package dev.coord.tools;

import dev.coord.engine.model.Decision;
import dev.coord.engine.service.DecisionService;
import java.util.List;
import java.util.Map;

/**
 * The decision calls as the model makes them (arguments unchecked) over one session's engine service: the same path
 * {@link LogDecisionTool} and {@link QueryDecisionsTool} take, minus JSON.
 */
final class DecisionCalls {
    final DecisionService engine;

    DecisionCalls(DecisionService engine) {
        this.engine = engine;
    }

    Decision log(
            String category, String title, String description, String scope, List<String> tags, String supersedes) {
        return engine.log(LogDecisionTool.draft(category, title, description, scope, tags, supersedes));
    }

    Map<String, String> supersededBy(List<String> ids) {
        return engine.supersededBy(ids);
    }

    DecisionService.DecisionsResult query(String id, String category, String text, String since, Integer limit) {
        return QueryDecisionsTool.find(engine, id, category, text, since, limit);
    }
}
