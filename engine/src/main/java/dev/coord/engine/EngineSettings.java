package dev.coord.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing settings of the engine.
 *
 * @param defaultTtl lease of a lock when the call does not say (30 min: an MCP server cannot see edits, so leases
 *     must outlast a long edit; any tool call by the holder renews them)
 * @param maxTtl longest lease a call may ask for
 * @param heartbeatInterval how often a live process proves it is alive
 * @param staleAfter silence after which an instance is dead
 * @param maxWait longest wait for a lock a call may ask for
 */
public record EngineSettings(
        Duration defaultTtl, Duration maxTtl, Duration heartbeatInterval, Duration staleAfter, Duration maxWait) {

    public static final Duration MIN_TTL = Duration.ofSeconds(10);

    public EngineSettings {
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(staleAfter, "staleAfter");
        Objects.requireNonNull(maxWait, "maxWait");
        if (defaultTtl.compareTo(MIN_TTL) < 0 || defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("default lock TTL must be between " + MIN_TTL.toSeconds() + " s and the"
                    + " maximum TTL (" + maxTtl.toSeconds() + " s), got " + defaultTtl.toSeconds() + " s");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + heartbeatInterval);
        }
        if (staleAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("stale timeout (" + staleAfter.toMillis()
                    + " ms) must be at least twice the heartbeat interval (" + heartbeatInterval.toMillis() + " ms)");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maximum wait must not be negative, got " + maxWait);
        }
    }

    public static EngineSettings defaults() {
        return new EngineSettings(
                Duration.ofMinutes(30),
                Duration.ofHours(24),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5));
    }
}
