package dev.coord.engine.model;

/**
 * A recipient's unread messages in a few words.
 *
 * @param unread how many it has not read
 * @param newest the newest unread message
 */
public record InboxSummary(int unread, Message newest) {
    public static final InboxSummary EMPTY = new InboxSummary(0, null);

    public boolean isEmpty() {
        return unread == 0;
    }
}
