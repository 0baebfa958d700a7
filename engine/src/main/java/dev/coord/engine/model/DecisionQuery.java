package dev.coord.engine.model;

import java.time.Instant;

/**
 * Filters for decisions; null fields do not filter. Results come newest first.
 *
 * @param category exact category (case-insensitive)
 * @param text words that must all appear in title, description or tags (case-insensitive)
 * @param since only decisions at or after this time
 * @param limit maximum number returned
 */
public record DecisionQuery(String category, String text, Instant since, int limit) {
    public DecisionQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }
}
