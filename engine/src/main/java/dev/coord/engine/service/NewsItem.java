package dev.coord.engine.service;

import dev.coord.engine.model.Message;
import dev.coord.engine.model.Notice;
import java.util.List;
import java.util.Objects;

/**
 * One piece of news for the session's model: what happened, as facts. The engine produces items ({@link NewsSource});
 * {@code tools} phrases them for the model (the tool and argument names, the clipping, the cap on lines). A new kind
 * of news is one more record here and its line in {@code tools.NewsLines} (whose test fails for a record it does
 * not phrase).
 */
public sealed interface NewsItem {

    /**
     * The store reported something about the session's locks or missions (force-released, expired, declared dead,
     * mission taken over, kept through a rebuild).
     */
    record Notified(Notice notice) implements NewsItem {
        public Notified {
            Objects.requireNonNull(notice, "notice");
        }
    }

    /** Lock keys the session wanted while another session held them, free now; oldest wish first. */
    record Freed(List<String> paths) implements NewsItem {
        public Freed {
            paths = List.copyOf(paths);
        }
    }

    /**
     * Another session logged a decision whose text names an area the session holds locks in.
     *
     * @param area the lock key or folder matched, or {@link dev.coord.engine.path.LockKeys#WHOLE_REPOSITORY} when the
     *     session holds the whole repository
     */
    record DecisionInArea(String decisionId, String author, String area, String title) implements NewsItem {}

    /**
     * The session's first call: who else works here.
     *
     * @param others how many other sessions are active
     * @param peers the other sessions, in the registry's order
     */
    record Greeting(int others, List<Peer> peers) implements NewsItem {
        public Greeting {
            peers = List.copyOf(peers);
        }
    }

    /**
     * The session has unread messages, and the newest of them is one it was not told about yet.
     *
     * @param unread how many are unread
     * @param newest the newest unread message
     */
    record Unread(int unread, Message newest) implements NewsItem {
        public Unread {
            Objects.requireNonNull(newest, "newest");
        }
    }

    /**
     * Another session as the greeting names it.
     *
     * @param task its declared task, or null
     * @param locks how many locks it holds
     */
    record Peer(String instanceId, String task, long locks) {}
}
