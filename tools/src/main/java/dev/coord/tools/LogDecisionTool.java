package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.CoordException;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.service.DecisionService;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** {@code log_decision}: appends a decision every session can read. */
public final class LogDecisionTool extends AbstractTool {
    public static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,63}");
    public static final Set<String> SCOPES = Set.of("file", "module", "service", "system");
    public static final int MAX_TITLE = 200;
    public static final int MAX_DESCRIPTION = 10_000;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;

    public static final String NAME = "log_decision";

    public LogDecisionTool(Supplier<Coordinator> coord) {
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
                something NOT to do. Shown in everyone's status; not for progress notes. To change one, log a new \
                one with supersedes = the old id. Returns its id.""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(false, false, false);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(String id, String category, String title, Instant createdAt, String supersedes) {}

    @Override
    Object call(Args args) {
        Decision d = coord().decisions()
                .log(draft(
                        args.string("category"),
                        args.string("title"),
                        args.string("description"),
                        args.string("scope"),
                        args.strings("tags"),
                        args.string("supersedes")));
        return new Result(d.id(), d.category(), d.title(), Views.seconds(d.createdAt()), d.supersedes());
    }

    /**
     * A decision draft from arguments as a model or a person gave them: checked, stripped, lower-cased where the log
     * wants it. The command line's {@code decisions add} uses it too.
     */
    public static DecisionDraft draft(
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
            if (!DecisionService.ID.matcher(sup).matches()) {
                throw CoordException.invalidArgument(
                        "supersedes must be a decision id like DEC-20260108-0001, got \"" + supersedes + "\"");
            }
        }
        return new DecisionDraft(cat, t, d, sc, tagList, sup);
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
