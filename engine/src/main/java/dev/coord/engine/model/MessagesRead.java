package dev.coord.engine.model;

import java.util.List;

/**
 * What a recipient read: the messages (oldest first), now marked read for it, and how many stay unread.
 *
 * @param messages the messages, oldest first
 * @param unreadLeft unread messages of the recipient not among them
 * @param notices what the store reported about the caller's locks and missions since its last call
 */
public record MessagesRead(List<Message> messages, int unreadLeft, List<Notice> notices) {
    public MessagesRead {
        messages = List.copyOf(messages);
        notices = List.copyOf(notices);
    }
}
