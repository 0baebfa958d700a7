package dev.coord.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One message between sessions (or from a person), as the store keeps it: append-only, never changed once written.
 *
 * @param id unique across processes and machines, {@code msg-YYYYMMDD-<8 hex>}
 * @param at when the store accepted it (the store's clock)
 * @param from the sender's instance id, or {@link #COORD} for a message coord itself wrote
 * @param fromRole the sender's role when it sent, or null
 * @param fromTask the sender's task when it sent (for a person: who and where), or null
 * @param person whether a person sent it (from the command line or the dashboard), not a model
 * @param to the address as the sender gave it: an instance id, a role, {@code all}, {@code person} or
 *     {@code holder:<path>}
 * @param recipients who it was delivered to: instance ids, or {@link #PERSON}; never empty
 * @param kind a note, a release request, a handover, or coord's news that a requested path is free
 * @param subject a short subject, or null
 * @param body the text (at most {@link #MAX_BODY} characters, control characters stripped)
 * @param replyTo the message this one answers, or null
 * @param thread the id of the first message of its thread (its own id when it starts one)
 * @param aboutPaths lock keys it is about (release requests, handovers), possibly empty
 * @param mission the mission it hands over, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Message(
        String id,
        Instant at,
        String from,
        String fromRole,
        String fromTask,

        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        boolean person,

        String to,
        List<String> recipients,
        Kind kind,
        String subject,
        String body,
        String replyTo,
        String thread,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> aboutPaths,
        String mission) {

    /** The largest body, in characters. */
    public static final int MAX_BODY = 4_096;
    /** The longest subject, in characters. */
    public static final int MAX_SUBJECT = 120;
    /** The recipient that stands for the people watching (command line, dashboard). */
    public static final String PERSON = "person";
    /** The sender of the messages coord writes itself (a requested path is free). */
    public static final String COORD = "coord";

    public enum Kind {
        NOTE,
        RELEASE_REQUEST,
        HANDOVER,
        /** coord telling a requester that a path it asked for is free. */
        PATH_FREE;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.wireName().equals(s)) {
                    return k;
                }
            }
            return null;
        }
    }

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(thread, "thread");
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        aboutPaths = aboutPaths == null ? List.of() : List.copyOf(aboutPaths);
    }
}
