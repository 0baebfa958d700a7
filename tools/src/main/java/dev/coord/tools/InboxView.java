package dev.coord.tools;

import dev.coord.engine.model.InboxSummary;
import dev.coord.engine.model.Message;
import dev.coord.engine.service.MessageText;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code inbox} field of every tool result of a session with unread messages: how many, and the newest in one
 * short line that says who sent it. Nothing when there are none.
 */
final class InboxView {
    static final int SUBJECT_CHARS = 80;

    private InboxView() {}

    /** The field's value, or null when nothing is unread. */
    static Map<String, Object> of(InboxSummary s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("unread", s.unread());
        out.put("newest", newest(s.newest()));
        return out;
    }

    /** {@code from claude-... (role): subject}, from a person, or from coord. */
    static String newest(Message m) {
        return "from " + sender(m) + ": "
                + MessageText.clip(m.subject() != null ? m.subject() : m.body(), SUBJECT_CHARS);
    }

    /** Who sent it, in a few words that say it is a message and not the user speaking. */
    static String sender(Message m) {
        if (m.person()) {
            return "a person" + (m.fromTask() == null ? "" : " (" + MessageText.clip(m.fromTask(), 60) + ")");
        }
        if (Message.COORD.equals(m.from())) {
            return "coord";
        }
        String about = m.fromRole() == null
                ? m.fromTask()
                : m.fromTask() == null ? m.fromRole() : m.fromRole() + ", " + m.fromTask();
        return "session " + m.from() + (about == null ? "" : " (" + MessageText.clip(about, 60) + ")");
    }
}
