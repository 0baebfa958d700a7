package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.CoordException;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.HolderRef;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.SendOutcome;
import dev.coord.engine.service.MessageService;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** {@code send_message}: a note, a release request or a handover to other sessions or to the people. */
public final class SendMessageTool extends AbstractTool {
    public static final String NAME = "send_message";

    public SendMessageTool(Supplier<Coordinator> coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Send a message";
    }

    @Override
    String description() {
        return """
                Message live sessions or the user. to: instance id, role, all, person, or holder:<path>. kind \
                release_request asks the holders of about_paths to free them (to optional; you hear when they are \
                free). kind handover gives your locks on about_paths and/or your active mission to one session. \
                reply_to answers (to optional).""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(false, false, false);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Handed(String path, Long token) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Result(String id, List<HolderRef> deliveredTo, List<Handed> handedOver, List<String> notices) {}

    @Override
    Object call(Args args) {
        String kindArg = args.string("kind");
        Message.Kind kind = kindArg == null ? Message.Kind.NOTE : Message.Kind.parse(kindArg.toLowerCase(Locale.ROOT));
        if (kind == null || kind == Message.Kind.PATH_FREE) {
            throw CoordException.invalidArgument(
                    "kind must be note, release_request or handover, got \"" + kindArg + "\"");
        }
        String to = blankToNull(args.string("to"));
        String replyTo = blankToNull(args.string("reply_to"));
        if (to == null && kind != Message.Kind.RELEASE_REQUEST && replyTo == null) {
            throw CoordException.invalidArgument("to is required (an instance id, a role, all, person or"
                    + " holder:<path>); only a release_request or a reply (reply_to) may leave it out");
        }
        String body = args.string("body");
        if (body == null || body.isBlank()) {
            throw CoordException.invalidArgument("body is required and must not be blank");
        }
        if (body.length() > Message.MAX_BODY) {
            throw CoordException.invalidArgument("body must be at most " + Message.MAX_BODY + " characters, got "
                    + body.length() + "; put long material in a file and name it");
        }
        String mission = blankToNull(args.string("mission"));
        if (mission != null && kind != Message.Kind.HANDOVER) {
            throw CoordException.invalidArgument("mission is only for kind handover");
        }
        SendOutcome out = coord().messages()
                .send(new MessageService.Send(
                        to,
                        kind,
                        blankToNull(args.string("subject")),
                        body,
                        replyTo,
                        args.strings("about_paths"),
                        mission));
        List<Handed> handed = new java.util.ArrayList<>(
                out.handedOver().stream().map(SendMessageTool::handed).toList());
        if (out.message().kind() == Message.Kind.HANDOVER && out.message().mission() != null) {
            handed.add(new Handed("mission:" + out.message().mission(), null));
        }
        return new Result(out.message().id(), out.deliveredTo(), handed, Views.notices(out.notices()));
    }

    private static Handed handed(Grant g) {
        return new Handed(g.path(), g.token());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
