package dev.coord.engine.service;

import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Snapshot;
import java.util.List;

/**
 * One kind of news for the session's model, delivered by Claude Code's hooks as {@code additionalContext}. Each source
 * adds short lines (one fact and what to do, no more) only for what changed since it last spoke; most calls add
 * nothing. Messages between sessions can be one more source.
 */
@FunctionalInterface
public interface NewsSource {

    /**
     * @param now the shared state as just read
     * @param notices what the store reported about this session's locks and missions since its last call
     * @param out where to add lines
     */
    void collect(Snapshot now, List<Notice> notices, List<String> out);
}
