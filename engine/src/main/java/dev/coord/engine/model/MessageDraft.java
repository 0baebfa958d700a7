package dev.coord.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * A message as a sender asks for it, its arguments already checked (body bounded and cleaned, paths made lock keys).
 *
 * @param to an instance id, a role, {@code all}, {@code person} or {@code holder:<lock key>}; for a release request
 *     null means the holders of {@code aboutPaths}
 * @param kind note, release request or handover
 * @param subject a short subject, or null
 * @param body the text
 * @param replyTo the message this one answers, or null
 * @param aboutPaths lock keys (a release request asks for them; a handover gives the caller's locks on them)
 * @param mission the id of the caller's active mission a handover gives, or null
 */
public record MessageDraft(
        String to,
        Message.Kind kind,
        String subject,
        String body,
        String replyTo,
        List<String> aboutPaths,
        String mission) {
    public MessageDraft {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
        aboutPaths = aboutPaths == null ? List.of() : List.copyOf(aboutPaths);
    }

    /** A plain note. */
    public static MessageDraft note(String to, String subject, String body) {
        return new MessageDraft(to, Message.Kind.NOTE, subject, body, null, List.of(), null);
    }
}
