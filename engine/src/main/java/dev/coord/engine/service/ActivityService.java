package dev.coord.engine.service;

import dev.coord.engine.Session;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.store.CoordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What Claude Code's PostToolUse and UserPromptSubmit hooks do: any tool use of the session renews its leases, and
 * the model hears what concerns it.
 *
 * <p>Coalesced: a tool use reads the shared state without the store's mutex (for the file store: no write, no lock)
 * and writes only when a lease of the session is due for renewal ({@link #renewStep}), when one of its locks
 * vanished (force-released, expired: the store holds a notice for it), or on a prompt. Everything else it needs is in
 * memory.
 */
public final class ActivityService {
    private final CoordStore store;
    private final Session session;
    private final EditGuardService guard;
    private final List<NewsSource> sources;
    private final Object lock = new Object();
    private Set<Long> knownTokens = Set.of();

    /**
     * @param sources the news, asked in this order on every call
     */
    public ActivityService(CoordStore store, Session session, EditGuardService guard, List<NewsSource> sources) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.sources = List.copyOf(sources);
    }

    /** A lease is renewed once less than its ttl minus this is left: at most one write per step per session. */
    static Duration renewStep(long ttlSeconds) {
        Duration quarter = Duration.ofSeconds(ttlSeconds).dividedBy(4);
        Duration minute = Duration.ofMinutes(1);
        return quarter.compareTo(minute) < 0 ? quarter : minute;
    }

    /**
     * One use of any tool by the session (PostToolUse), or a prompt of its user (UserPromptSubmit, which always
     * reaches the store, so that a prompt hears everything pending).
     *
     * @return the news for the model, in the sources' order (tools phrases it); empty when nothing changed
     */
    public List<NewsItem> onActivity(boolean prompt) {
        synchronized (lock) {
            String me = session.id();
            Snapshot snap = store.read();
            List<LockRecord> mine = own(snap, me);
            if (!guard.endCommitted(mine).isEmpty()) {
                snap = store.read();
                mine = own(snap, me);
            }
            boolean touch = prompt || vanished(mine) || due(mine, snap.at());
            List<Notice> notices = List.of();
            if (touch) {
                snap = store.touch(session.self());
                notices = snap.notices();
                mine = own(snap, me);
            }
            Set<Long> tokens = new HashSet<>();
            mine.forEach(l -> tokens.add(l.token()));
            knownTokens = tokens;
            List<NewsItem> out = new ArrayList<>();
            for (NewsSource s : sources) {
                s.collect(snap, notices, out);
            }
            return out;
        }
    }

    private static List<LockRecord> own(Snapshot snap, String me) {
        List<LockRecord> mine = new ArrayList<>();
        for (LockRecord l : snap.locks()) {
            if (l.holder().equals(me)) {
                mine.add(l);
            }
        }
        return mine;
    }

    private boolean vanished(List<LockRecord> mine) {
        if (knownTokens.isEmpty()) {
            return false;
        }
        Set<Long> now = new HashSet<>();
        mine.forEach(l -> now.add(l.token()));
        return !now.containsAll(knownTokens);
    }

    private static boolean due(List<LockRecord> mine, Instant now) {
        for (LockRecord l : mine) {
            if (l.auto()) {
                continue; // renewed by edits only
            }
            Duration left = Duration.between(now, l.expiresAt());
            if (left.compareTo(Duration.ofSeconds(l.ttlSeconds()).minus(renewStep(l.ttlSeconds()))) < 0) {
                return true;
            }
        }
        return false;
    }
}
