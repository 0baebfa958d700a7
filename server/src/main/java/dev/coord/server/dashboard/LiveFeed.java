package dev.coord.server.dashboard;

import dev.coord.engine.json.Json;
import java.util.LinkedHashMap;
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
    private volatile boolean closed;

    LiveFeed(DashboardSource source, long pollMillis) {
        this.source = Objects.requireNonNull(source, "source");
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
                last = Map.of(); // what was read before an idle spell is old: the next page gets a fresh read
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
        return join(serialize(source.read()));
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
        Map<String, String> now = serialize(source.read());
        synchronized (lock) {
            Map<String, String> changed = new LinkedHashMap<>();
            now.forEach((k, v) -> {
                if (!v.equals(last.get(k))) {
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

    private static Map<String, String> serialize(Map<String, Object> sections) {
        Map<String, String> out = new LinkedHashMap<>();
        sections.forEach((k, v) -> out.put(k, Json.mapper().writeValueAsString(v)));
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
