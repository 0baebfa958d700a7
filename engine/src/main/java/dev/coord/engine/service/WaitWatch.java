package dev.coord.engine.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paths this session wanted and could not get (a refused {@code acquire_lock}, an edit another session held), so
 * that it can be told when they are free. In memory only: it concerns this process's model alone. Thread-safe.
 */
public final class WaitWatch {
    /** A wish older than this is forgotten: the model has moved on. */
    public static final Duration KEEP = Duration.ofHours(2);

    static final int MAX = 50;

    private final Map<String, Instant> wanted = new LinkedHashMap<>();

    /** Remembers that the session wanted these keys and another session held them. */
    public synchronized void wanted(Iterable<String> keys, Instant at) {
        for (String k : keys) {
            wanted.remove(k);
            wanted.put(k, at);
        }
        while (wanted.size() > MAX) {
            wanted.remove(wanted.keySet().iterator().next());
        }
    }

    /** The session got these keys (or gave up on them). */
    public synchronized void got(Iterable<String> keys) {
        for (String k : keys) {
            wanted.remove(k);
        }
    }

    /** The keys still wanted at {@code now}, oldest wish first; forgets the stale ones. */
    public synchronized Map<String, Instant> pending(Instant now) {
        wanted.values().removeIf(at -> at.plus(KEEP).isBefore(now));
        return new LinkedHashMap<>(wanted);
    }

    public synchronized boolean isEmpty() {
        return wanted.isEmpty();
    }
}
