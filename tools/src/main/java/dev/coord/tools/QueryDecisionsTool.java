package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.CoordException;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.service.DecisionService;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code query_decisions}: reads the shared decision log. */
public final class QueryDecisionsTool extends AbstractTool {
    public static final String NAME = "query_decisions";
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})\\s*([mhdw])");
    static final int LIST_DESCRIPTION_CHARS = 300;

    public QueryDecisionsTool(Supplier<Coordinator> coord) {
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
                Search the shared decision log before designing where others may have decided (APIs, conventions, \
                libraries). Filter by category, text (all words), since, limit; or id alone, in full. Newest first; \
                long descriptions cut (truncated=true). superseded_by: follow the newer one.""";
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
        DecisionService.DecisionsResult found = find(
                coord().decisions(),
                id,
                args.string("category"),
                args.string("text"),
                args.string("since"),
                args.integer("limit") == null ? null : args.integer("limit").intValue());
        Map<String, String> replacedBy = coord().decisions()
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

    /**
     * Checks the arguments as the model sent them, then finds one decision by id or queries the log.
     *
     * @param id one decision by id (other filters must be absent)
     * @param since ISO-8601 instant, date ({@code 2026-11-21}) or age ({@code 30m}, {@code 24h}, {@code 7d},
     *     {@code 2w})
     */
    static DecisionService.DecisionsResult find(
            DecisionService decisions, String id, String category, String text, String since, Integer limit) {
        if (id != null && !id.isBlank()) {
            if (category != null || text != null || since != null) {
                throw CoordException.invalidArgument("give id alone, or filters (category, text, since), not both");
            }
            String clean = id.strip();
            if (!DecisionService.ID.matcher(clean).matches()) {
                throw CoordException.invalidArgument("id must look like DEC-20260108-0001, got \"" + id + "\"");
            }
            return decisions.find(clean);
        }
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw CoordException.invalidArgument("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        String cat = category == null || category.isBlank() ? null : category.strip();
        String words = text == null || text.isBlank() ? null : text.strip();
        if (words != null && words.length() > 200) {
            throw CoordException.invalidArgument("text must be at most 200 characters, got " + words.length());
        }
        return decisions.query(new DecisionQuery(cat, words, parseSince(since, decisions.now()), n));
    }

    static Instant parseSince(String since, Instant now) {
        if (since == null || since.isBlank()) {
            return null;
        }
        String s = since.strip();
        Matcher m = RELATIVE.matcher(s.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration unit =
                    switch (m.group(2)) {
                        case "m" -> Duration.ofMinutes(1);
                        case "h" -> Duration.ofHours(1);
                        case "d" -> Duration.ofDays(1);
                        default -> Duration.ofDays(7);
                    };
            return now.minus(unit.multipliedBy(amount));
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw CoordException.invalidArgument("since must be an ISO-8601 time (2026-11-21T10:00:00Z), a date"
                    + " (2026-11-21) or an age such as 30m, 24h, 7d; got \"" + since + "\"");
        }
    }
}
