package dev.coord.engine.git;

import dev.coord.engine.model.Snapshot;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the newest radar result of one server in memory, for {@code status} to read without running anything.
 *
 * <p>Each refresh reads the shared state (no mutex), and reuses the cache file when it was computed for the same
 * sessions and worktrees and is younger than the interval; otherwise the one server that takes the cache's lock runs
 * git and writes the cache, and the others keep what they have. When the set of sessions changes, the next refresh
 * recomputes at once. The interval stretches to ten times the last run's duration (at most a minute), so that git
 * never takes more than about a tenth of a core even in a huge repository. A server that finds the lock busy for more than two such waits
 * with no newer result appearing runs git without it: the holder is stopped or hung, and would otherwise leave every
 * server with an old result for as long as it stays so.
 */
public final class RadarRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(RadarRefresher.class);
    private static final RadarResult NONE =
            new RadarResult(Instant.EPOCH, 0, null, false, null, Map.of(), List.of(), List.of(), false, List.of());

    /** The longest the interval stretches to after a slow run. */
    public static final Duration MAX_STRETCH = Duration.ofMinutes(1);

    private final Supplier<Snapshot> state;
    private final Radar radar;
    private final RadarCache cache;
    private final Duration interval;
    private final Clock clock;
    private volatile RadarResult latest = NONE;
    private volatile Thread thread;
    /** When this server first found another one running the radar with no newer result since; null when not. */
    private volatile Instant busySince;

    public RadarRefresher(Supplier<Snapshot> state, Radar radar, RadarCache cache, Duration interval, Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.radar = Objects.requireNonNull(radar, "radar");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The newest result known here; never blocks, never runs git. */
    public RadarResult latest() {
        return latest;
    }

    /** One refresh, on the calling thread. */
    public RadarResult refresh() {
        List<SessionWork> sessions = radar.sessions(state.get());
        if (!Radar.worthRunning(sessions)) {
            latest = NONE;
            return latest;
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        sessions.forEach(s -> inputs.put(s.instanceId(), s.worktree()));
        Optional<RadarResult> cached = cache.read();
        if (cached.isPresent() && fresh(cached.get(), inputs)) {
            latest = cached.get();
            return latest;
        }
        try {
            Optional<RadarResult> ran = cache.ifNobodyElse(() -> {
                Optional<RadarResult> again = cache.read();
                if (again.isPresent() && fresh(again.get(), inputs)) {
                    return again.get();
                }
                RadarResult r = radar.run(sessions);
                try {
                    cache.write(r);
                } catch (IOException e) {
                    LOG.debug("could not write the radar cache: {}", e.toString());
                }
                return r;
            });
            if (ran.isPresent()) {
                busySince = null;
                latest = ran.get();
            } else if (holderStalled(cached)) {
                // the server holding radar.lock is stopped (SIGSTOP, a terminal's Ctrl-Z) or hung: the lock stays
                // held as long as it is, so run without it; the rename keeps the file whole, and the stalled one's
                // late result does not replace this newer one (RadarCache.write)
                busySince = null;
                latest = radar.run(sessions);
                cache.write(latest);
            } else if (cached.isPresent() && cached.get().sessions().keySet().containsAll(inputs.keySet())) {
                latest = cached.get();
            }
        } catch (IOException e) {
            LOG.debug("radar refresh failed: {}", e.toString());
        }
        return latest;
    }

    private boolean fresh(RadarResult r, Map<String, String> inputs) {
        return r.sessions().equals(inputs)
                && !clock.instant().isAfter(r.computedAt().plus(waitAfter(r)));
    }

    /**
     * How long a result stays fresh: the interval, stretched to ten times the run's duration, but never past
     * {@link #MAX_STRETCH}. The duration is wall time: a run whose server was stopped in the middle (Ctrl-Z, SIGSTOP)
     * took as long as the stop, and would otherwise make every server keep its result ten times as long.
     */
    Duration waitAfter(RadarResult r) {
        Duration stretched = Duration.ofMillis(10 * Math.max(0, r.tookMs()));
        if (stretched.compareTo(MAX_STRETCH) > 0) {
            stretched = MAX_STRETCH;
        }
        return interval.compareTo(stretched) >= 0 ? interval : stretched;
    }

    /**
     * Whether the server holding {@code radar.lock} has held it, with no newer result appearing, for longer than two
     * waits: far longer than a run takes, since the wait stretches to ten times the last run. Called when the lock
     * was busy.
     */
    private boolean holderStalled(Optional<RadarResult> cached) {
        Instant now = clock.instant();
        if (busySince == null
                || (cached.isPresent() && cached.get().computedAt().isAfter(busySince))) {
            busySince = now;
            return false;
        }
        Duration wait = cached.isPresent() ? waitAfter(cached.get()) : interval;
        return Duration.between(busySince, now).compareTo(wait.multipliedBy(2)) > 0;
    }

    /** Refreshes on a low-priority daemon thread every interval, after {@code delay}. */
    public synchronized void start(Duration delay) {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(
                () -> {
                    try {
                        Thread.sleep(delay.toMillis());
                        while (!Thread.currentThread().isInterrupted()) {
                            try {
                                refresh();
                            } catch (RuntimeException e) {
                                LOG.debug("radar refresh failed: {}", e.toString());
                            }
                            Thread.sleep(interval.toMillis());
                        }
                    } catch (InterruptedException e) {
                        // stopped
                    }
                },
                "coord-radar");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        thread = t;
        t.start();
    }

    public synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }
}
