package dev.coord.engine.store;

import dev.coord.engine.model.Message;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a store keeps messages and read marks: an append-only log of {@link Message}s and, per recipient, the ids it
 * has read. A store hands one to {@link Messaging} inside its transaction (writes) or outside (reads); the decisions
 * (who receives, what is unread, what is kept) are made in {@link Messaging} once for every store.
 */
public interface MessageBox {

    /** Whether a kept message has this id. */
    boolean exists(String id);

    /** One kept message. */
    Optional<Message> byId(String id);

    /** Appends a message; durable once the transaction that appended it returns. */
    void append(Message m);

    /** Every kept message delivered to {@code recipient}, oldest first. */
    List<Message> deliveredTo(String recipient);

    /** Every kept message of a thread (by its first message's id), oldest first. */
    List<Message> thread(String threadId);

    /** The newest kept messages, at most {@code limit}, oldest first. */
    List<Message> newest(int limit);

    /** Every kept message of this kind at or after {@code after}, oldest first. */
    List<Message> since(Message.Kind kind, Instant after);

    /** The ids the recipient has read (of messages still kept). */
    Set<String> readBy(String recipient);

    /** Marks these messages read for the recipient. */
    void markRead(String recipient, Collection<String> ids);

    /**
     * Drops messages older than {@code before} and, beyond that, the oldest ones over {@code keepAtMost}, with their
     * read marks.
     *
     * @return how many were dropped
     */
    int prune(Instant before, int keepAtMost);

    /**
     * A value equal to one returned earlier only if no message and no read mark changed in between, taken before
     * anything is read from the box; null (the default) when the box cannot tell. Lets the unread summary, asked on
     * every tool call, be answered without reading when nothing changed.
     */
    default Object stamp() {
        return null;
    }

    /** How many messages are kept, and the time of the oldest (null when none): to decide whether to prune. */
    Kept kept();

    record Kept(int count, Instant oldest) {}
}
