package dev.coord.server.it.chaos;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Looks at {@code radar.json} every 100 ms while the chaos runs, from outside the servers: every read must parse and
 * match {@code radar.schema.json} (the file is replaced by a rename, so a reader never sees half of one), and each
 * new result is recorded with when it was first seen, so that {@link RadarVerdict} can tell how long the radar went
 * without a fresh run. It also finds the process holding {@code radar.lock} in {@code /proc/locks}, for the killer.
 */
final class RadarWatch implements Runnable {
    static final String SCHEMA = "schemas/state/radar.schema.json";

    private final Path file;
    private final Path lock;
    private final GitLedger ledger;
    private final Map<String, Object> schema;
    private final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();
    private volatile boolean stop;
    private Thread thread;
    private long lastComputedAt = Long.MIN_VALUE;

    @SuppressWarnings("unchecked")
    RadarWatch(Path stateDir, GitLedger ledger) throws IOException {
        this.file = stateDir.resolve("radar.json");
        this.lock = stateDir.resolve("radar.lock");
        this.ledger = ledger;
        try (InputStream in = RadarWatch.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("no " + SCHEMA + " on the class path");
            }
            this.schema = RawServer.JSON.readValue(in, Map.class);
        }
    }

    void start() {
        thread = new Thread(this, "chaos-radar-watch");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.join(10_000);
        }
    }

    @Override
    public void run() {
        while (!stop) {
            sample();
            Driver.sleepMicros(100_000);
        }
    }

    /** One look at the file. */
    void sample() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            ledger.invalid("radar.json could not be read: " + e);
            return;
        }
        long seen = Ledger.now();
        ledger.radarSamples.incrementAndGet();
        String problem = check(bytes, schema, validator);
        if (problem != null) {
            ledger.invalid(problem);
            return;
        }
        JsonNode doc = RawServer.JSON.readTree(bytes);
        long computed = micros(doc.path("computed_at").asString());
        if (computed != lastComputedAt) {
            if (computed < lastComputedAt) {
                ledger.radarBackwards.incrementAndGet();
            }
            lastComputedAt = computed;
            ledger.computation(new GitLedger.Computation(
                    seen, computed, doc.path("took_ms").asLong()));
        }
    }

    /** Why these bytes are not a valid {@code radar.json}, or null when they are. */
    static String check(byte[] bytes, Map<String, Object> schema, JsonSchemaValidator validator) {
        Object doc;
        try {
            doc = RawServer.JSON.readValue(bytes, Object.class);
        } catch (RuntimeException e) {
            String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            return "radar.json does not parse (" + bytes.length + " bytes): "
                    + (text.length() > 160 ? text.substring(0, 160) + "..." : text);
        }
        var result = validator.validate(schema, doc);
        return result.valid() ? null : "radar.json does not match radar.schema.json: " + result.errorMessage();
    }

    static long micros(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }

    /** The pid holding {@code radar.lock} now, from {@code /proc/locks}, or -1. */
    long holderPid() {
        long inode;
        try {
            inode = ((Number) Files.getAttribute(lock, "unix:ino")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/locks"));
            for (String line : lines) {
                // "12: POSIX  ADVISORY  WRITE 4242 08:01:1234567 0 EOF"; waiters have "->" after the number
                String[] f = line.trim().split("\\s+");
                if (f.length < 6 || f[1].equals("->") || !f[1].equals("POSIX")) {
                    continue;
                }
                String[] dev = f[5].split(":");
                if (dev.length == 3 && Long.parseLong(dev[2]) == inode) {
                    return Long.parseLong(f[4]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
