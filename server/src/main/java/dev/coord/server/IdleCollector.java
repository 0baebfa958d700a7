package dev.coord.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap back after a burst of calls. The serial collector promotes what a burst leaves half-alive (a retention
 * prune, documents re-read after another process wrote them) and grows the old generation towards {@code -Xmx}
 * rather than collecting it; a full collection then finds most of it garbage. Once a period with requests is followed
 * by a whole period without any, this runs one full collection: with the launchers' {@code -XX:-ShrinkHeapInSteps
 * -XX:MaxHeapFreeRatio=40} the heap shrinks to what is alive and its pages go back to the system. A session that keeps
 * calling is never collected by this; an idle one at most once per burst.
 */
final class IdleCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdleCollector.class);

    /** How long without a request counts as idle. */
    static final Duration QUIET = Duration.ofSeconds(10);

    private final LongSupplier requests;
    private final Runnable collect;
    private long seen;
    private boolean busySinceCollect;
    private ScheduledExecutorService timer;

    IdleCollector(LongSupplier requests, Runnable collect) {
        this.requests = requests;
        this.collect = collect;
        this.seen = requests.getAsLong();
    }

    /** Checks every {@link #QUIET} on a low-priority daemon thread. */
    static IdleCollector start(LongSupplier requests) {
        IdleCollector c = new IdleCollector(requests, System::gc);
        c.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coord-idle-collector");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        long ms = QUIET.toMillis();
        c.timer.scheduleWithFixedDelay(c::tick, ms, ms, TimeUnit.MILLISECONDS);
        return c;
    }

    /**
     * One check: remembers whether requests came since the last one, and collects when a period with requests is
     * followed by one without.
     *
     * @return whether it collected
     */
    synchronized boolean tick() {
        long now = requests.getAsLong();
        if (now != seen) {
            seen = now;
            busySinceCollect = true;
            return false;
        }
        if (!busySinceCollect) {
            return false;
        }
        busySinceCollect = false;
        long t0 = System.nanoTime();
        try {
            collect.run();
        } catch (RuntimeException e) {
            LOG.debug("idle collection failed: {}", e.toString());
        }
        LOG.debug("idle: collected the heap in {} ms", (System.nanoTime() - t0) / 1_000_000);
        return true;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
