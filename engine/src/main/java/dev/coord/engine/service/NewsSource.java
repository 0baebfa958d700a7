package dev.coord.engine.service;

import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Snapshot;
import java.util.List;

/**
 * One kind of news for the session's model, delivered by Claude Code's hooks as {@code additionalContext}. Each source
 * adds items ({@link NewsItem}: facts, no words for the model) only for what changed since it last spoke; most calls
 * add nothing. {@code tools} phrases the items. Messages between sessions can be one more source: a {@link NewsItem}
 * record of their own, and one more source in the list {@link dev.coord.engine.CoordEngine} hands the {@link
 * ActivityService}.
 */
@FunctionalInterface
public interface NewsSource {

    /**
     * @param now the shared state as just read
     * @param notices what the store reported about this session's locks and missions since its last call
     * @param out where to add items
     */
    void collect(Snapshot now, List<Notice> notices, List<NewsItem> out);
}
