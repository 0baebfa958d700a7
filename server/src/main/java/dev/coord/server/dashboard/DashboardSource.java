package dev.coord.server.dashboard;

import java.util.Map;

/** What the dashboard shows and does; implemented over the store and the engine services. Thread-safe. */
public interface DashboardSource {

    /**
     * The page's sections, each a value Jackson can write (records, lists, maps), keyed by a stable name. Read
     * without holding the store's cross-process exclusion; called every poll while a page is connected.
     */
    Map<String, Object> read();

    /** Decisions matching the text and category (either may be null), newest first. */
    Object searchDecisions(String text, String category);

    /**
     * Force-releases the lock on a key, as a person using the dashboard; the holder is told on its next call.
     *
     * @return what happened, for the page
     */
    Object forceRelease(String path, String reason);

    /**
     * Returns an active mission whose claimer is gone to the queue, as a person using the dashboard.
     *
     * @return what happened, for the page
     */
    Object giveBack(String missionId, String reason);

    /**
     * Sends a message, as a person using the dashboard, to sessions ({@code to}: an instance id, a role, {@code all}
     * or {@code holder:<path>}).
     *
     * @return what happened, for the page
     */
    Object sendMessage(String to, String subject, String body);
}
