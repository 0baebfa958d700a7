package dev.coord.engine.store.file;

import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionQuery;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A query over {@code decisions.jsonl}: category, time and words (every word, case-insensitive, in the title,
 * description, category or tags), with a raw-line pre-filter when the words can be looked for in the JSON text.
 */
final class DecisionSearch {

    private DecisionSearch() {}

    /** The newest decisions that match the query, newest first, at most its limit. */
    static List<Decision> newest(DecisionLog decisions, DecisionQuery query) throws IOException {
        String category = query.category() == null ? null : query.category().toLowerCase(Locale.ROOT);
        String[] words = query.text() == null || query.text().isBlank()
                ? new String[0]
                : query.text().toLowerCase(Locale.ROOT).trim().split("\\s+");
        Instant since = query.since();
        // a word with a character that JSON escapes cannot be looked for in the raw line
        boolean rawSearch = words.length > 0;
        for (String w : words) {
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                if (c == '"' || c == '\\' || c < 0x20) {
                    rawSearch = false;
                }
            }
        }
        return decisions.newest(
                e -> (category == null || category.equalsIgnoreCase(e.category))
                        && (since == null || e.madeAtOrAfter(since)),
                rawSearch ? line -> containsAll(line, words) : null,
                d -> words.length == 0 || matchesAll(d, words),
                query.limit());
    }

    private static boolean containsAll(String hay, String[] words) {
        for (String w : words) {
            if (!hay.contains(w)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAll(Decision d, String[] words) {
        String hay = (d.title() + "\n" + d.description() + "\n" + d.category() + "\n" + String.join(" ", d.tags()))
                .toLowerCase(Locale.ROOT);
        return containsAll(hay, words);
    }
}
