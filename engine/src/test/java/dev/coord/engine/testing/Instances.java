package dev.coord.engine.testing;

import dev.coord.engine.model.Instance;
import java.time.Instant;

/** Instances for tests, all on host {@code test-host}. */
public final class Instances {
    public static final String HOST = "test-host";
    public static final String BOOT = "boot-1";

    private Instances() {}

    public static Instance instance(String id, long pid, Instant now) {
        return new Instance(
                id, pid, null, HOST, BOOT, "/repo", "main", null, null, null, "task of " + id, "role-" + id, now, now);
    }
}
