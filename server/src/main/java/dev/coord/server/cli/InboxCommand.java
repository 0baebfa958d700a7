package dev.coord.server.cli;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.MessageQuery;
import dev.coord.engine.model.MessagesRead;
import dev.coord.engine.service.MessageText;
import dev.coord.server.ExitCodes;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coord inbox}: the messages sessions sent to the people ({@code to: person}), marked read. */
@Command(
        name = "inbox",
        mixinStandardHelpOptions = true,
        description = {
            "Show the messages sessions sent to the people (send_message to: person), oldest first, and mark them",
            "read. Without --all only the unread ones."
        })
final class InboxCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final CliEnv ctx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--all", description = "Also the messages already read.")
    boolean all;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many, the newest (1-500, default 50).")
    int limit;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    InboxCommand(CliEnv ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (limit < 1 || limit > 500) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 1 to 500, got " + limit);
        }
        MessagesRead read;
        try (CoordEngine engine = ctx.cliEngine(ctx.person() + " at the command line")) {
            read = engine.messages().read(new MessageQuery(!all, null, null, limit));
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("messages", read.messages());
            m.put("unread_left", read.unreadLeft());
            ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
            return ExitCodes.SUCCESS;
        }
        if (read.messages().isEmpty()) {
            ctx.out().println(all ? "no messages for the people" : "no unread messages");
        }
        ZoneId zone = ZoneId.systemDefault();
        for (Message msg : read.messages()) {
            ctx.out().println(msg.id() + "  " + TIME.format(msg.at().atZone(zone)) + "  from " + sender(msg));
            if (msg.subject() != null) {
                ctx.out().println("  subject: " + MessageText.clip(msg.subject(), 120));
            }
            for (String line : msg.body().split("\n", -1)) {
                ctx.out().println("  " + line);
            }
        }
        if (read.unreadLeft() > 0) {
            ctx.out().println(read.unreadLeft() + " more unread (raise --limit)");
        }
        return ExitCodes.SUCCESS;
    }

    private static String sender(Message m) {
        if (m.person()) {
            return "a person" + (m.fromTask() == null ? "" : " (" + m.fromTask() + ")");
        }
        String about = m.fromRole() == null
                ? m.fromTask()
                : m.fromTask() == null ? m.fromRole() : m.fromRole() + ", " + m.fromTask();
        return m.from() + (about == null ? "" : " (" + about + ")");
    }
}
