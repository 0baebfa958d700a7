package dev.coord.engine.service;

import dev.coord.engine.CoordException;
import dev.coord.engine.Session;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Notice;
import dev.coord.engine.store.CoordStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Logging and querying decisions, with argument checks. */
public final class DecisionService {
    public static final Pattern ID = Pattern.compile("DEC-\\d{8}-\\d{4,}");
    public static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,63}");
    public static final Set<String> SCOPES = Set.of("file", "module", "service", "system");
    public static final int MAX_TITLE = 200;
    public static final int MAX_DESCRIPTION = 10_000;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})\\s*([mhdw])");

    private final CoordStore store;
    private final Session session;

    public DecisionService(CoordStore store, Session session) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
    }

    public Decision log(
            String category, String title, String description, String scope, List<String> tags, String supersedes) {
        String cat = required("category", category, 64).toLowerCase(Locale.ROOT);
        if (!CATEGORY.matcher(cat).matches()) {
            throw CoordException.invalidArgument("category must be a short lower-case word such as api-design or"
                    + " database (letters, digits, . _ / -), got \"" + category + "\"");
        }
        String t = required("title", title, MAX_TITLE);
        String d = required("description", description, MAX_DESCRIPTION);
        String sc = null;
        if (scope != null && !scope.isBlank()) {
            sc = scope.strip().toLowerCase(Locale.ROOT);
            if (!SCOPES.contains(sc)) {
                throw CoordException.invalidArgument(
                        "scope must be one of file, module, service, system, got \"" + scope + "\"");
            }
        }
        List<String> tagList = new ArrayList<>();
        if (tags != null) {
            if (tags.size() > MAX_TAGS) {
                throw CoordException.invalidArgument("at most " + MAX_TAGS + " tags, got " + tags.size());
            }
            for (String tag : tags) {
                String clean = required("each tag", tag, MAX_TAG).toLowerCase(Locale.ROOT);
                if (!tagList.contains(clean)) {
                    tagList.add(clean);
                }
            }
        }
        String sup = null;
        if (supersedes != null && !supersedes.isBlank()) {
            sup = supersedes.strip();
            if (!ID.matcher(sup).matches()) {
                throw CoordException.invalidArgument(
                        "supersedes must be a decision id like DEC-20260108-0001, got \"" + supersedes + "\"");
            }
            if (store.decision(sup).isEmpty()) {
                throw CoordException.notFound("supersedes names " + sup
                        + ", which is not in the decision log; query_decisions lists the existing ids");
            }
        }
        return store.appendDecision(session.self(), new DecisionDraft(cat, t, d, sc, tagList, sup));
    }

    /**
     * @param id one decision by id (other filters must be absent)
     * @param since ISO-8601 instant, date ({@code 2026-11-21}) or age ({@code 30m}, {@code 24h}, {@code 7d},
     *     {@code 2w})
     */
    public DecisionsResult query(String id, String category, String text, String since, Integer limit) {
        List<Decision> found = find(id, category, text, since, limit);
        return new DecisionsResult(found, store.touch(session.self()).notices());
    }

    /** Decisions found, and what happened to this session's locks since its last call. */
    public record DecisionsResult(List<Decision> decisions, List<Notice> notices) {}

    private List<Decision> find(String id, String category, String text, String since, Integer limit) {
        if (id != null && !id.isBlank()) {
            if (category != null || text != null || since != null) {
                throw CoordException.invalidArgument("give id alone, or filters (category, text, since), not both");
            }
            String clean = id.strip();
            if (!ID.matcher(clean).matches()) {
                throw CoordException.invalidArgument("id must look like DEC-20260108-0001, got \"" + id + "\"");
            }
            return List.of(store.decision(clean)
                    .orElseThrow(() -> CoordException.notFound("no decision " + clean + " in the log")));
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
        return store.decisions(new DecisionQuery(cat, words, parseSince(since, store.now()), n));
    }

    /** For each of these ids that a later decision supersedes: the id of that later decision. */
    public Map<String, String> supersededBy(List<String> ids) {
        return ids.isEmpty() ? Map.of() : store.supersededBy(ids);
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

    static String required(String name, String value, int max) {
        if (value == null || value.isBlank()) {
            throw CoordException.invalidArgument(name + " is required and must not be blank");
        }
        String v = value.strip();
        if (v.length() > max) {
            throw CoordException.invalidArgument(name + " must be at most " + max + " characters, got " + v.length());
        }
        if (v.indexOf('\0') >= 0) {
            throw CoordException.invalidArgument(name + " must not contain NUL characters");
        }
        return v;
    }
}
