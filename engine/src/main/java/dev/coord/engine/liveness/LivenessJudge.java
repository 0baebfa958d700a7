package dev.coord.engine.liveness;

import dev.coord.engine.model.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides whether a registered instance is alive: its heartbeat is fresh, and, when it runs on this host, its process
 * (pid plus start time) still exists in this boot.
 */
public final class LivenessJudge {
    private final Duration staleAfter;
    private final HostIdentity self;
    private final ProcessProbe probe;

    public LivenessJudge(Duration staleAfter, HostIdentity self, ProcessProbe probe) {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be positive, got " + staleAfter);
        }
        this.staleAfter = staleAfter;
        this.self = Objects.requireNonNull(self, "self");
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    public Duration staleAfter() {
        return staleAfter;
    }

    /** Null when alive, else a short reason why the instance is dead. */
    public String deathReason(Instance instance, Instant now) {
        Duration silence = Duration.between(instance.lastHeartbeat(), now);
        if (silence.compareTo(staleAfter) > 0) {
            return "no heartbeat for " + silence.toSeconds() + " s";
        }
        if (instance.host().equals(self.host())) {
            if (instance.bootId() != null && !instance.bootId().equals(self.bootId())) {
                return "host rebooted";
            }
            if (instance.pid() == self.pid() && Objects.equals(instance.processStart(), self.processStart())) {
                return null;
            }
            if (!probe.alive(instance.pid(), instance.processStart())) {
                return "process " + instance.pid() + " exited";
            }
        }
        return null;
    }

    /** True if the instance runs on this host, where its process can be checked directly. */
    public boolean sameHost(Instance instance) {
        return instance.host().equals(self.host());
    }
}
