package dev.coord.engine.liveness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Who this process is: host id, kernel boot id, pid and process start time.
 *
 * @param host host id ({@code COORD_HOST_ID}, else the kernel host name)
 * @param bootId kernel boot id, or {@code "unknown"}
 * @param pid this process id
 * @param processStart this process start time, or null if the OS does not say
 */
public record HostIdentity(String host, String bootId, long pid, Instant processStart) {

    public HostIdentity {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(bootId, "bootId");
    }

    /** Reads the identity of the current process. */
    public static HostIdentity current(Map<String, String> env) {
        ProcessHandle self = ProcessHandle.current();
        return new HostIdentity(
                hostId(env),
                readFirstLine(Path.of("/proc/sys/kernel/random/boot_id"), "unknown"),
                self.pid(),
                self.info().startInstant().orElse(null));
    }

    static String hostId(Map<String, String> env) {
        String configured = env.get("COORD_HOST_ID");
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String kernel = readFirstLine(Path.of("/proc/sys/kernel/hostname"), null);
        if (kernel != null) {
            return kernel;
        }
        String fromEnv = env.getOrDefault("HOSTNAME", env.get("COMPUTERNAME"));
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String readFirstLine(Path file, String fallback) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? fallback : text;
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}
