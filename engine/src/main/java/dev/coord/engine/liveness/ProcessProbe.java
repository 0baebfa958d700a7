package dev.coord.engine.liveness;

import java.time.Instant;

/** Tells whether a process of this host is still the one that registered. */
public interface ProcessProbe {
    /**
     * @param pid process id
     * @param start the process start time recorded at registration, or null if unknown
     * @return true if a process with this pid exists and (when {@code start} is known) started at that time
     */
    boolean alive(long pid, Instant start);

    /** The probe of this operating system, based on {@link ProcessHandle}. */
    static ProcessProbe system() {
        return new OsProcessProbe();
    }
}
