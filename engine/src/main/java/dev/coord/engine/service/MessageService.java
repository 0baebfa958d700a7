package dev.coord.engine.service;

import dev.coord.engine.CoordException;
import dev.coord.engine.Session;
import dev.coord.engine.model.InboxSummary;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.MessageDraft;
import dev.coord.engine.model.MessageQuery;
import dev.coord.engine.model.MessagesRead;
import dev.coord.engine.model.SendOutcome;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.rules.MessageRules;
import dev.coord.engine.store.CoordStore;
import dev.coord.engine.store.RulesStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Messages for one session: send (a note, a release request, a handover), read its own (or, for a person's
 * command-line session, the people's), and its unread summary. Commands come checked by the tools (or the command
 * line); this service turns paths into lock keys, cleans the text, and settles a handed-over mission's file.
 */
public final class MessageService {
    private final CoordStore store;
    private final Session session;
    private final PathPolicy paths;
    private final MissionService missions;
    private final WaitWatch watch;

    /**
     * @param watch the paths this session wants: a release request adds its paths, so that the hooks tell the model
     *     when they are free however they became free (released, expired, their holder gone)
     */
    public MessageService(
            CoordStore store, Session session, PathPolicy paths, MissionService missions, WaitWatch watch) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.missions = Objects.requireNonNull(missions, "missions");
        this.watch = Objects.requireNonNull(watch, "watch");
    }

    /**
     * What a session asks to send.
     *
     * @param to an instance id, a role, {@code all}, {@code person} or {@code holder:<path>}; null for a release
     *     request to the holders of {@code aboutPaths} or a reply to its sender
     * @param kind note, release request or handover
     * @param subject a short subject, or null
     * @param body the text
     * @param replyTo the message this one answers, or null
     * @param aboutPaths paths as the model wrote them
     * @param mission the mission a handover gives, or null
     */
    public record Send(
            String to,
            Message.Kind kind,
            String subject,
            String body,
            String replyTo,
            List<String> aboutPaths,
            String mission) {}

    /**
     * Sends a message. A handover's mission file is brought in line with its record before this returns.
     *
     * @throws CoordException INVALID_ARGUMENT for a release request without paths, NOT_FOUND when the address reaches
     *     no live session, NOT_HELD when a handover names what this session does not hold
     */
    public SendOutcome send(Send cmd) {
        List<String> keys = new ArrayList<>();
        for (String p : cmd.aboutPaths() == null ? List.<String>of() : cmd.aboutPaths()) {
            String key = paths.toKey(p);
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        if (cmd.kind() == Message.Kind.RELEASE_REQUEST && keys.isEmpty()) {
            throw CoordException.invalidArgument("a release_request needs about_paths: the paths you ask for");
        }
        String to = cmd.to();
        if (to != null && to.startsWith(MessageRules.HOLDER)) {
            to = MessageRules.HOLDER + paths.toKey(to.substring(MessageRules.HOLDER.length()));
        }
        MessageDraft draft = new MessageDraft(
                to,
                cmd.kind(),
                cmd.subject() == null ? null : MessageText.clean(cmd.subject()),
                MessageText.clean(cmd.body()),
                cmd.replyTo(),
                keys,
                cmd.mission());
        SendOutcome out = store.sendMessage(session.self(), draft);
        if (cmd.kind() == Message.Kind.RELEASE_REQUEST) {
            watch.wanted(keys, out.message().at());
        }
        if (cmd.kind() == Message.Kind.HANDOVER && cmd.mission() != null && missions.available()) {
            missions.reconcile();
        }
        return out;
    }

    /** This session's messages (a person's: the people's), marked read. */
    public MessagesRead read(MessageQuery query) {
        return store.readMessages(session.self(), query);
    }

    /** This session's unread messages in a few words (nothing when none); reads without the store's mutex. */
    public InboxSummary inbox() {
        return store.inbox(RulesStore.recipientOf(session.self()));
    }

    /** The newest messages to anyone, oldest first, for a person watching. */
    public List<Message> recent(int limit) {
        return store.recentMessages(limit);
    }
}
