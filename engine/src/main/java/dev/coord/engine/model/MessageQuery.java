package dev.coord.engine.model;

import java.time.Instant;

/**
 * Which of a recipient's messages to read.
 *
 * @param unreadOnly only those the recipient has not read yet
 * @param thread only this thread (any message id of it), whole bodies; or null
 * @param since only messages at or after this time, or null
 * @param limit at most this many, the newest
 */
public record MessageQuery(boolean unreadOnly, String thread, Instant since, int limit) {
    public MessageQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }
}
