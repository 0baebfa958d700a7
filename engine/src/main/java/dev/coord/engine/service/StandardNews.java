package dev.coord.engine.service;

import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.InboxSummary;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Notice;
import dev.coord.engine.path.LockKeys;
import dev.coord.engine.store.CoordStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The news sources coord has today: lost locks, wanted paths now free, decisions in the session's areas, greeting.
 * They state facts ({@link NewsItem}); {@code tools} phrases them.
 */
public final class StandardNews {
    private StandardNews() {}

    /** The sources in the order their lines are shown. */
    public static List<NewsSource> all(CoordStore store, Supplier<String> self, WaitWatch watch) {
        return List.of(lostLocks(), freed(self, watch), messages(store, self), decisions(store, self), greeting(self));
    }

    /** Unread messages, once per newest message: a message that arrived since the session was last told. */
    static NewsSource messages(CoordStore store, Supplier<String> self) {
        String[] told = {null};
        return (snap, notices, out) -> {
            InboxSummary inbox = store.inbox(self.get());
            if (inbox.isEmpty() || inbox.newest().id().equals(told[0])) {
                return;
            }
            told[0] = inbox.newest().id();
            out.add(new NewsItem.Unread(inbox.unread(), inbox.newest()));
        };
    }

    /** Force-released, expired or voided locks and missions taken over: from the store's notices. */
    static NewsSource lostLocks() {
        return (snap, notices, out) -> {
            for (Notice n : notices) {
                out.add(new NewsItem.Notified(n));
            }
        };
    }

    /** Paths the session wanted while another session held them, now free. */
    static NewsSource freed(Supplier<String> self, WaitWatch watch) {
        return (snap, notices, out) -> {
            if (watch.isEmpty()) {
                return;
            }
            List<String> free = new ArrayList<>();
            for (Map.Entry<String, Instant> w : watch.pending(snap.at()).entrySet()) {
                boolean held = false;
                for (LockRecord l : snap.locks()) {
                    if (!l.holder().equals(self.get()) && LockKeys.overlaps(l.path(), w.getKey())) {
                        held = true;
                        break;
                    }
                }
                if (!held) {
                    free.add(w.getKey());
                }
            }
            if (!free.isEmpty()) {
                watch.got(free);
                out.add(new NewsItem.Freed(free));
            }
        };
    }

    /** Decisions other sessions logged since the last look that name a path or folder the session holds locks in. */
    static NewsSource decisions(CoordStore store, Supplier<String> self) {
        Instant[] since = {null};
        return (snap, notices, out) -> {
            if (since[0] == null) {
                since[0] = snap.at();
                return;
            }
            List<String> areas = new ArrayList<>();
            for (LockRecord l : snap.locks()) {
                if (l.holder().equals(self.get())) {
                    areas.add(l.path());
                    int slash = l.path().lastIndexOf('/', l.path().length() - 2);
                    if (!LockKeys.isDirectory(l.path()) && slash > 0) {
                        areas.add(l.path().substring(0, slash + 1));
                    }
                }
            }
            if (areas.isEmpty()) {
                since[0] = snap.at();
                return;
            }
            List<Decision> recent = store.decisions(new DecisionQuery(null, null, since[0], 20));
            Instant newest = since[0];
            for (Decision d : recent) {
                if (d.createdAt().isAfter(newest)) {
                    newest = d.createdAt();
                }
                if (d.createdAt().equals(since[0]) || self.get().equals(d.author())) {
                    continue;
                }
                String area = matchingArea(d, areas);
                if (area != null) {
                    out.add(new NewsItem.DecisionInArea(d.id(), d.author(), area, d.title()));
                }
            }
            since[0] = newest;
        };
    }

    static String matchingArea(Decision d, List<String> areas) {
        String text = (d.title() + "\n" + (d.description() == null ? "" : d.description()) + "\n"
                        + String.join(" ", d.tags()))
                .toLowerCase(Locale.ROOT);
        for (String a : areas) {
            if (a.equals(LockKeys.WHOLE_REPOSITORY)) {
                return a;
            }
            String bare = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
            if (text.contains(bare.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        return null;
    }

    /** Once, on the session's first call: who else works here. */
    static NewsSource greeting(Supplier<String> self) {
        boolean[] done = {false};
        return (snap, notices, out) -> {
            if (done[0]) {
                return;
            }
            done[0] = true;
            List<NewsItem.Peer> others = new ArrayList<>();
            for (Instance i : snap.instances()) {
                if (i.id().equals(self.get())) {
                    continue;
                }
                long held = snap.locks().stream()
                        .filter(l -> l.holder().equals(i.id()))
                        .count();
                others.add(new NewsItem.Peer(i.id(), i.task(), held));
            }
            out.add(new NewsItem.Greeting(snap.instances().size() - 1, others));
        };
    }
}
