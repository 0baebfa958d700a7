package dev.coord.engine.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An appended decision. Never modified; a later decision may supersede it.
 *
 * @param id {@code DEC-YYYYMMDD-NNNN}, unique across processes
 * @param category free category, lower-case, e.g. {@code api-design}
 * @param title one line
 * @param description the decision and its reason
 * @param scope file, module, service or system
 * @param tags search tags
 * @param author instance id of the author
 * @param authorTask the author's task when it decided
 * @param createdAt when it was logged
 * @param supersedes id of an earlier decision this one replaces, or null
 */
public record Decision(
        String id,
        String category,
        String title,
        String description,
        String scope,
        List<String> tags,
        String author,
        String authorTask,
        Instant createdAt,
        String supersedes) {

    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(title, "title");
        tags = tags == null ? List.of() : List.copyOf(tags);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
