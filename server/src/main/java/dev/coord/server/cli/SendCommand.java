package dev.coord.server.cli;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.HolderRef;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.SendOutcome;
import dev.coord.engine.service.MessageService;
import dev.coord.server.ExitCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord send}: a person's message to sessions; the sessions see it as coming from a person. */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = {
            "Send a message to live sessions, marked as coming from a person (you, at the command line).",
            "The receivers see it in their next tool result (inbox) and, with the hooks, on their next prompt."
        })
final class SendCommand implements Callable<Integer> {
    private final CliEnv ctx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--to",
            required = true,
            description = "An instance id, a role (every live session with it), all, or holder:<path>.")
    String to;

    @Option(names = "--subject", description = "A short subject (at most 120 characters).")
    String subject;

    @Option(names = "--reply-to", description = "The id of the message this answers.")
    String replyTo;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "The message (at most 4,096 characters).")
    List<String> words;

    SendCommand(CliEnv ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String body = String.join(" ", words).strip();
        if (body.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the message is empty");
        }
        if (body.length() > Message.MAX_BODY) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "the message has " + body.length() + " characters; at most " + Message.MAX_BODY);
        }
        if (subject != null && subject.strip().length() > Message.MAX_SUBJECT) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--subject has more than " + Message.MAX_SUBJECT + " characters");
        }
        SendOutcome out;
        try (CoordEngine engine = ctx.cliEngine(ctx.person() + " at the command line")) {
            out = engine.messages()
                    .send(new MessageService.Send(
                            to.strip(),
                            Message.Kind.NOTE,
                            subject == null || subject.isBlank() ? null : subject.strip(),
                            body,
                            replyTo == null || replyTo.isBlank() ? null : replyTo.strip(),
                            List.of(),
                            null));
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", out.message().id());
            m.put("delivered_to", out.deliveredTo());
            ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
        } else {
            StringBuilder who = new StringBuilder();
            for (HolderRef h : out.deliveredTo()) {
                who.append(who.length() == 0 ? "" : ", ")
                        .append(h.instanceId())
                        .append(h.role() == null ? "" : " (" + h.role() + ")");
            }
            ctx.out().println("sent " + out.message().id() + " to " + who);
        }
        return ExitCodes.SUCCESS;
    }
}
