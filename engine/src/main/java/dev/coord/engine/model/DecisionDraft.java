package dev.coord.engine.model;

import java.util.List;

/**
 * A decision before the store gives it an id and a time.
 *
 * @param category category
 * @param title title
 * @param description description
 * @param scope file, module, service or system
 * @param tags tags
 * @param supersedes id of a decision it replaces, or null
 */
public record DecisionDraft(
        String category, String title, String description, String scope, List<String> tags, String supersedes) {
    public DecisionDraft {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
