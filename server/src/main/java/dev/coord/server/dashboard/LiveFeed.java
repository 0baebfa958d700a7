package dev.coord.server.dashboard;

import dev.coord.engine.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the source while at least one page is connected, and hands each connected page the sections that changed
 * since the last poll, as one JSON object per change. With no page connected the poller thread waits and reads
 * nothing, so an idle dashboard costs the repository's sessions nothing.
 */
final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    /** One connected page: the changes it has not sent yet. */
    static final class Subscriber {
        final BlockingQueue<String> events = new ArrayBlockingQueue<>(64);
        volatile boolean overflowed;

        /** The next event, or null after {@code timeoutMs}. */
        String next(long timeoutMs) throws InterruptedException {
            return events.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }

        void offer(String event) {
            if (!events.offer(event)) {
                overflowed = true; // a page that stopped reading: its stream is closed, and it reconnects
            }
        }
    }

    private final DashboardSource source;
    private final long pollMillis;
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private final Object lock = new Object();
    private final Thread poller;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong pollNanos = new AtomicLong();
    private Map<String, String> last = Map.of();
    /** Sections that are newest-first lists growing at the head (the audit log): pages get only the new items. */
    private final Set<String> appendOnly;

    private final Map<String, Object> lastValues = new HashMap<>();
    private final Map<String, List<String>> items = new HashMap<>();
    private final Map<String, List<String>> lastItems = new HashMap<>();
    private volatile boolean closed;

    LiveFeed(DashboardSource source, long pollMillis, Set<String> appendOnly) {
        this.source = Objects.requireNonNull(source, "source");
        this.appendOnly = Set.copyOf(appendOnly);
        this.pollMillis = pollMillis;
        this.poller = new Thread(this::run, "coord-dashboard-poll");
        poller.setDaemon(true);
        poller.start();
    }

    /** Connects a page: it first receives every section. */
    Subscriber subscribe() {
        Subscriber s = new Subscriber();
        synchronized (lock) {
            if (last.isEmpty()) {
                last = serialize(source.read());
            }
            s.offer(join(last));
            subscribers.add(s);
            lock.notifyAll();
        }
        return s;
    }

    void unsubscribe(Subscriber s) {
        synchronized (lock) {
            subscribers.remove(s);
            if (subscribers.isEmpty()) {
                // What was read before an idle spell is old: the next page gets a fresh read.
                last = Map.of();
                lastValues.clear();
                items.clear();
                lastItems.clear();
            }
        }
    }

    /** The poller's state: {@code WAITING} while no page is connected. */
    Thread.State pollerState() {
        return poller.getState();
    }

    int connected() {
        return subscribers.size();
    }

    /** Polls done so far and their total time, for the measurements in docs/dashboard.md. */
    long polls() {
        return polls.get();
    }

    long pollNanos() {
        return pollNanos.get();
    }

    /** Every section now, as JSON text (for a plain GET). */
    String snapshot() {
        Map<String, Object> values = source.read();
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Json.mapper().writeValueAsString(v)));
        return join(out);
    }

    private void run() {
        while (!closed) {
            try {
                synchronized (lock) {
                    while (subscribers.isEmpty() && !closed) {
                        lock.wait();
                    }
                }
                Thread.sleep(pollMillis);
                pollOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("dashboard poll failed: {}", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Reads the state and queues the changed sections for every page. */
    void pollOnce() {
        long t0 = System.nanoTime();
        Map<String, Object> values = source.read();
        synchronized (lock) {
            Map<String, String> now = serialize(values);
            Map<String, String> changed = new LinkedHashMap<>();
            now.forEach((k, v) -> {
                if (v.equals(last.get(k))) {
                    return;
                }
                String added = appendOnly.contains(k) ? added(lastItems.get(k), items.get(k)) : null;
                if (added != null) {
                    changed.put(k + "+", added);
                } else {
                    changed.put(k, v);
                }
            });
            last = now;
            if (!changed.isEmpty()) {
                String event = join(changed);
                subscribers.forEach(s -> s.offer(event));
            }
        }
        polls.incrementAndGet();
        pollNanos.addAndGet(System.nanoTime() - t0);
    }

    /**
     * For a newest-first list that only grows at its head: the new items as a JSON array, when the old head is still
     * in the new list; null when the page needs the whole list again (first read, log rotated, more than a window).
     */
    private static String added(List<String> before, List<String> after) {
        if (before == null || before.isEmpty() || after == null) {
            return null;
        }
        int at = after.indexOf(before.get(0));
        if (at <= 0) {
            return null;
        }
        return "[" + String.join(",", after.subList(0, at)) + "]";
    }

    /**
     * Each section as JSON text. A section whose value is the very object of the last read (a source that caches,
     * like the audit tail) is not written again.
     */
    private Map<String, String> serialize(Map<String, Object> sections) {
        Map<String, String> out = new LinkedHashMap<>();
        sections.forEach((k, v) -> {
            String json = last.get(k);
            if (json == null || v != lastValues.get(k)) {
                if (appendOnly.contains(k) && v instanceof List<?> list) {
                    lastItems.put(k, items.getOrDefault(k, List.of()));
                    List<String> each = new ArrayList<>(list.size());
                    list.forEach(item -> each.add(Json.mapper().writeValueAsString(item)));
                    items.put(k, each);
                    json = "[" + String.join(",", each) + "]";
                } else {
                    json = Json.mapper().writeValueAsString(v);
                }
            } else if (appendOnly.contains(k)) {
                lastItems.put(k, items.get(k));
            }
            lastValues.put(k, v);
            out.put(k, json);
        });
        return out;
    }

    /** One JSON object of the given sections (their values are JSON text already). */
    private static String join(Map<String, String> sections) {
        StringBuilder b = new StringBuilder("{");
        sections.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(Json.mapper().writeValueAsString(k)).append(':').append(v);
        });
        return b.append('}').toString();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        poller.interrupt();
    }
}
