package dev.coord.server.cli;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.CoordException;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.service.DecisionService;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ExitCodes;
import dev.coord.tools.LogDecisionTool;
import dev.coord.tools.QueryDecisionsTool;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord decisions list | show ID | add}. */
@Command(
        name = "decisions",
        mixinStandardHelpOptions = true,
        description = "List, show or add decisions.",
        subcommands = {DecisionsCommand.ListDecisions.class, DecisionsCommand.Show.class, DecisionsCommand.Add.class})
final class DecisionsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: list, show or add");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List decisions, newest first (read-only).")
    static final class ListDecisions implements Callable<Integer> {
        private final CliEnv ctx;

        @Option(names = "--category", description = "Only this category.")
        String category;

        @Option(names = "--text", description = "Only decisions containing all these words.")
        String text;

        @Option(names = "--limit", defaultValue = "20", description = "At most this many (1-100, default 20).")
        int limit;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        ListDecisions(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            if (limit < 1 || limit > QueryDecisionsTool.MAX_LIMIT) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--limit must be between 1 and " + QueryDecisionsTool.MAX_LIMIT + ", got " + limit);
            }
            List<Decision> found;
            try (CoordStore store = ctx.openExistingStoreReadOnly()) {
                found = store == null
                        ? List.of()
                        : store.decisions(new DecisionQuery(blankToNull(category), blankToNull(text), null, limit));
            }
            if (json) {
                ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(found));
                return ExitCodes.SUCCESS;
            }
            if (found.isEmpty()) {
                ctx.out().println("no decisions");
            }
            Ansi a = new Ansi(ctx.color());
            for (Decision d : found) {
                ctx.out()
                        .println(d.id() + "  " + a.dim("[" + d.category() + "]") + " " + d.title()
                                + a.dim("  " + d.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
            }
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one decision in full (read-only).")
    static final class Show implements Callable<Integer> {
        private final CliEnv ctx;

        @Parameters(paramLabel = "ID", description = "A decision id, e.g. DEC-20261121-0001.")
        String id;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        Show(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            String clean = id.strip();
            if (!DecisionService.ID.matcher(clean).matches()) {
                throw CoordException.invalidArgument("a decision id looks like DEC-20261121-0001, got \"" + id + "\"");
            }
            Decision d;
            try (CoordStore store = ctx.openExistingStoreReadOnly()) {
                d = store == null ? null : store.decision(clean).orElse(null);
            }
            if (d == null) {
                throw CoordException.notFound("no decision " + clean + " in the log");
            }
            if (json) {
                ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(d));
            } else {
                print(d, ctx.out(), new Ansi(ctx.color()));
            }
            return ExitCodes.SUCCESS;
        }
    }

    static void print(Decision d, PrintStream out, Ansi a) {
        out.println(a.bold(d.id() + "  " + d.title()));
        out.println("category:   " + d.category() + (d.scope() == null ? "" : ", scope " + d.scope()));
        out.println("created:    " + d.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " by "
                + d.author() + (d.authorTask() == null ? "" : " (" + d.authorTask() + ")"));
        if (!d.tags().isEmpty()) {
            out.println("tags:       " + String.join(", ", d.tags()));
        }
        if (d.supersedes() != null) {
            out.println("supersedes: " + d.supersedes());
        }
        out.println();
        out.println(d.description());
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Log a decision that every session must follow.")
    static final class Add implements Callable<Integer> {
        private final CliEnv ctx;

        @Option(names = "--category", required = true, description = "Lower-case category, e.g. api-design.")
        String category;

        @Option(names = "--title", required = true, description = "One line.")
        String title;

        @Option(names = "--description", required = true, description = "The decision and its reason.")
        String description;

        @Option(names = "--scope", description = "file, module, service or system.")
        String scope;

        @Option(names = "--tag", description = "A search tag (repeatable).")
        List<String> tags;

        @Option(names = "--supersedes", description = "Id of a decision this one replaces.")
        String supersedes;

        @Option(names = "--json", description = "Print the logged decision as JSON.")
        boolean json;

        Add(CliEnv ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Decision d;
            try (CoordEngine engine = ctx.cliEngine(ctx.person() + " at the command line")) {
                d = engine.decisions()
                        .log(LogDecisionTool.draft(category, title, description, scope, tags, supersedes));
            }
            if (json) {
                ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(d));
            } else {
                ctx.out().println("logged " + d.id() + "  [" + d.category() + "] " + d.title());
            }
            return ExitCodes.SUCCESS;
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
