package dev.coord.engine.multiprocess;

import dev.coord.engine.EngineSettings;
import dev.coord.engine.InstanceIds;
import dev.coord.engine.Session;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseOutcome;
import dev.coord.engine.store.CoordStore;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A process that hammers a few hot lock keys through a real {@link FileStore}, run in child JVMs by
 * {@link MultiProcessLockTest}. Each grant is checked by the {@link Witness} and logged while still held.
 *
 * <p>Arguments are {@code key=value}:
 *
 * <pre>
 * state=DIR        coord state directory (shared)
 * work=DIR         test directory: witness/, grants.log, violations (shared)
 * name=NAME        worker name for messages
 * paths=K          number of hot keys (hot/p0 .. hot/p{K-1}); default 2
 * iterations=N     acquire/release rounds; default 150
 * mode=M           exclusive | shared | mixed; default exclusive
 * sharedPct=P      with mode=mixed, the chance of a shared request in percent; default 50
 * holdMaxMs=H      hold each grant for a random 0..H ms; default 20
 * waitMs=W         how long one acquire may wait (waitUntil = now + W); default 5000
 * ttlSeconds=T     lease of each grant; default 30
 * holdForever=true take one grant, print HOLDING and sleep until killed
 * gate=FILE        after READY, wait until this file exists before the first acquire
 * idle=true        register, print READY and sleep until killed
 * reportWaits=true print WAITING and REFUSED lines
 * bypass=true      skip coord entirely (tokens from a local counter): a negative control for the witness
 * pollFirstMs=P    first sleep between two attempts of a waiting acquire; default 1 (then x1.5)
 * pollMaxMs=P      longest sleep between two attempts; default 8
 * </pre>
 *
 * <p>Output, one line each: {@code READY instanceId pid}, {@code WAITING path} (first refusal of a grant),
 * {@code REFUSED path n} (the first few refusals), {@code GRANT path mode token pid}, {@code HOLDING path token},
 * {@code OVERLAP path n} (a shared holder saw n shared holders), {@code VIOLATION ...}, {@code STALE ...},
 * {@code LOST ...}, {@code NOTICE ...}, {@code TIMEOUT path}, {@code SLOWBEAT ...}, {@code STATS {...}},
 * {@code DONE count}; {@code ERROR ...} and exit code 1 on failure.
 */
public final class LockWorker {
    static final String GRANTS_LOG = "grants.log";
    static final String VIOLATIONS = "violations";
    static final String WITNESS_DIR = "witness";
    static final int REFUSALS_REPORTED = 5;
    static final long SLOW_BEAT_MS = 500;

    /**
     * Short timings so that dead workers are noticed quickly (heartbeat 250 ms, stale after 3 s: a loaded 2-core CI
     * machine showed heartbeat gaps of 1.6 s; a killed worker is still reaped at once by the pid check).
     */
    static final EngineSettings SETTINGS = new EngineSettings(
            Duration.ofSeconds(30),
            Duration.ofHours(24),
            Duration.ofMillis(250),
            Duration.ofSeconds(3),
            Duration.ofMinutes(5));

    /** Longest store call per method name, and longest gap between two heartbeat calls, in ms. */
    private static final Map<String, Long> STATS = new ConcurrentHashMap<>();

    private static volatile long lastBeatEnd;

    private final Map<String, String> args;
    private final Path work;
    private final FileChannel grantsLog;
    private final FileChannel violations;
    private final Witness witness;
    private final boolean reportWaits;
    private final int pollFirstMs;
    private final int pollMaxMs;

    private LockWorker(Map<String, String> args) throws IOException {
        this.args = args;
        this.work = Path.of(required("work"));
        Files.createDirectories(work);
        this.grantsLog = appendChannel(work.resolve(GRANTS_LOG));
        this.violations = appendChannel(work.resolve(VIOLATIONS));
        this.witness = new Witness(work.resolve(WITNESS_DIR), this::violation, line -> out("STALE " + line));
        this.reportWaits = bool("reportWaits");
        this.pollFirstMs = integer("pollFirstMs", 1);
        this.pollMaxMs = integer("pollMaxMs", 8);
    }

    public static void main(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                out("ERROR bad argument " + a);
                System.exit(2);
            }
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        try {
            int count = new LockWorker(args).run();
            out("DONE " + count);
            System.exit(0);
        } catch (Throwable t) {
            out("ERROR " + t);
            t.printStackTrace();
            System.exit(1);
        }
    }

    private int run() throws Exception {
        Clock clock = Clock.systemUTC();
        HostIdentity me = HostIdentity.current(System.getenv());
        LivenessJudge judge = new LivenessJudge(SETTINGS.staleAfter(), me, ProcessProbe.system());
        FileStore store = FileStore.open(Path.of(required("state")), clock, judge, FileStoreOptions.defaults());
        String name = args.getOrDefault("name", "worker");
        Instant now = clock.instant();
        Instance self = new Instance(
                InstanceIds.newId(now),
                me.pid(),
                me.processStart(),
                me.host(),
                me.bootId(),
                work.toString(),
                null,
                "lock-worker",
                "1",
                null,
                name,
                "worker",
                now,
                now);
        CoordStore timed = timed(store);
        Session session = new Session(timed, SETTINGS, self, () -> null);
        session.start();
        out("READY " + self.id() + " " + me.pid());
        if (bool("idle")) {
            sleepForever();
        }
        String gate = args.get("gate");
        if (gate != null) {
            Path gateFile = Path.of(gate);
            while (!Files.exists(gateFile)) {
                Thread.sleep(5);
            }
        }
        int paths = integer("paths", 2);
        int iterations = integer("iterations", 150);
        String mode = args.getOrDefault("mode", "exclusive");
        int sharedPct = integer("sharedPct", 50);
        int holdMaxMs = integer("holdMaxMs", 20);
        Duration wait = Duration.ofMillis(integer("waitMs", 5000));
        Duration ttl = Duration.ofSeconds(integer("ttlSeconds", 30));
        boolean holdForever = bool("holdForever");
        boolean bypass = bool("bypass");
        long fakeToken = 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int granted = 0;
        for (int i = 0; i < iterations; i++) {
            String path = "hot/p" + rnd.nextInt(paths);
            LockMode lockMode =
                    switch (mode) {
                        case "exclusive" -> LockMode.EXCLUSIVE;
                        case "shared" -> LockMode.SHARED;
                        case "mixed" -> rnd.nextInt(100) < sharedPct ? LockMode.SHARED : LockMode.EXCLUSIVE;
                        default -> throw new IllegalArgumentException("mode " + mode);
                    };
            List<LockRequest> request = List.of(new LockRequest(path, lockMode, null));
            Grant grant = bypass
                    ? new Grant(path, lockMode, ++fakeToken, clock.instant().plus(ttl), false, false, null)
                    : acquire(store, session, request, ttl, clock.instant().plus(wait));
            if (grant == null) {
                out("TIMEOUT " + path);
                continue;
            }
            granted++;
            out("GRANT " + path + " " + lockMode.wireName() + " " + grant.token() + " " + me.pid());
            Runnable leave;
            if (lockMode == LockMode.EXCLUSIVE) {
                leave = witness.enterExclusive(path, grant.token());
            } else {
                Witness.SharedEntry entry = witness.enterShared(path, grant.token());
                leave = entry.leave();
                if (entry.sharedSeen() > 1) {
                    out("OVERLAP " + path + " " + entry.sharedSeen());
                }
            }
            append(
                    grantsLog,
                    "GRANT " + path + " " + lockMode.wireName() + " " + grant.token() + " " + me.pid() + " "
                            + System.nanoTime());
            if (holdForever) {
                out("HOLDING " + path + " " + grant.token());
                sleepForever();
            }
            int hold = rnd.nextInt(holdMaxMs + 1);
            if (hold > 0) {
                Thread.sleep(hold);
            }
            leave.run();
            if (bypass) {
                continue;
            }
            ReleaseOutcome released = store.release(session.self(), List.of(path), false, null, Map.of());
            report(released.notices());
            if (released.released().size() != 1 || released.released().get(0).token() != grant.token()) {
                violation("LOST " + path + " token " + grant.token() + " by pid " + me.pid() + ": released "
                        + released.released() + ", not held " + released.notHeld());
            }
        }
        session.close("done");
        store.close();
        out("STATS " + new TreeMap<>(STATS));
        return granted;
    }

    /** Acquires with waiting, polling with short sleeps as the lock service does; null if the wait ran out. */
    private Grant acquire(FileStore store, Session session, List<LockRequest> request, Duration ttl, Instant waitUntil)
            throws InterruptedException {
        long sleepMs = pollFirstMs;
        int refusals = 0;
        while (true) {
            AcquireOutcome outcome = store.acquire(session.self(), request, ttl, "multiprocess test", waitUntil);
            report(outcome.notices());
            if (outcome.acquired()) {
                return outcome.grants().get(0);
            }
            String path = request.get(0).path();
            refusals++;
            if (reportWaits && refusals == 1) {
                out("WAITING " + path);
            }
            if (reportWaits && refusals <= REFUSALS_REPORTED) {
                out("REFUSED " + path + " " + refusals);
            }
            if (!store.now().isBefore(waitUntil)) {
                store.cancelWait(session.self());
                return null;
            }
            Thread.sleep(sleepMs);
            sleepMs = Math.min(pollMaxMs, Math.max(sleepMs + 1, sleepMs * 3 / 2));
        }
    }

    /**
     * The store as the session sees it, timing each call: the heartbeat thread's calls show how long a live process
     * can go without proving it is alive (stale after 3 s here). A gap over {@link #SLOW_BEAT_MS} is printed.
     */
    private static CoordStore timed(CoordStore store) {
        InvocationHandler timing = (proxy, method, methodArgs) -> {
            long t0 = System.nanoTime();
            try {
                return method.invoke(store, methodArgs);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                long t1 = System.nanoTime();
                STATS.merge("max_" + method.getName() + "_ms", (t1 - t0) / 1_000_000, Math::max);
                if (method.getName().equals("heartbeat")) {
                    long gap = lastBeatEnd == 0 ? 0 : (t1 - lastBeatEnd) / 1_000_000;
                    lastBeatEnd = t1;
                    STATS.merge("max_beat_gap_ms", gap, Math::max);
                    if (gap > SLOW_BEAT_MS) {
                        out("SLOWBEAT " + gap + " ms since the previous heartbeat, call " + (t1 - t0) / 1_000_000
                                + " ms, at " + Instant.now());
                    }
                }
            }
        };
        return (CoordStore)
                Proxy.newProxyInstance(CoordStore.class.getClassLoader(), new Class<?>[] {CoordStore.class}, timing);
    }

    private static void report(List<Notice> notices) {
        for (Notice n : notices) {
            out("NOTICE " + n.kind().wireName() + " " + n.path() + " " + n.token() + " " + n.reason());
        }
    }

    private void violation(String what) {
        out("VIOLATION " + what);
        try {
            append(violations, what);
        } catch (IOException e) {
            out("ERROR cannot record a violation: " + e);
        }
    }

    private static FileChannel appendChannel(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** One {@code write()} per line on an append channel: lines from several processes never interleave. */
    private static synchronized void append(FileChannel ch, String line) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        int written = ch.write(buf);
        if (buf.hasRemaining()) {
            throw new IOException("short append (" + written + " bytes): the line would be torn");
        }
    }

    private static synchronized void out(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void sleepForever() throws InterruptedException {
        while (true) {
            Thread.sleep(60_000);
        }
    }

    private String required(String key) {
        String v = args.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return v;
    }

    private int integer(String key, int fallback) {
        String v = args.get(key);
        return v == null ? fallback : Integer.parseInt(v);
    }

    private boolean bool(String key) {
        return Boolean.parseBoolean(args.get(key));
    }
}
