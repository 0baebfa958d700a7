package dev.coord.engine.store;

import dev.coord.engine.model.InboxSummary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last unread summary of each recipient this process asked about, with the {@link MessageBox#stamp() stamp} of the
 * messages and read marks it was computed from: asked on every tool call, it is answered without reading messages
 * while nothing changed. The stamp is taken before the summary is computed, so a change made meanwhile shows as a new
 * stamp on the next call and is never hidden.
 */
final class InboxMemo {
    /** Recipients remembered at most (a server asks about its own session; the dashboard about the people). */
    private static final int MAX = 64;

    private record Entry(Object stamp, InboxSummary summary) {}

    private final Map<String, Entry> last = new ConcurrentHashMap<>();

    InboxSummary summary(MessageBox box, String recipient) {
        Object stamp = box.stamp();
        Entry known = last.get(recipient);
        if (stamp != null && known != null && stamp.equals(known.stamp())) {
            return known.summary();
        }
        InboxSummary summary = Messaging.summary(box, recipient);
        if (stamp != null) {
            if (last.size() >= MAX) {
                last.clear();
            }
            last.put(recipient, new Entry(stamp, summary));
        }
        return summary;
    }
}
