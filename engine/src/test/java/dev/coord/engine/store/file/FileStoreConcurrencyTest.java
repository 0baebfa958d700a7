package dev.coord.engine.store.file;

import static dev.coord.engine.testing.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.ReleaseOutcome;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many threads of one JVM on one state directory, through one store object or two (two objects on one directory are
 * what two processes see, except that they share the JVM's file-lock table).
 */
class FileStoreConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 100;
    private static final List<String> HOT = List.of("src/Hot.java", "src/Warm.java", "docs/");
    private static final Duration TTL = Duration.ofMinutes(30);

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
    private final FakeProbe probe = new FakeProbe();
    private final List<FileStore> stores = new ArrayList<>();

    private FileStore open() {
        LivenessJudge judge = new LivenessJudge(
                Duration.ofSeconds(30), new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe);
        FileStore s = FileStore.open(dir, clock, judge, FileStoreOptions.defaults());
        stores.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        stores.forEach(FileStore::close);
    }

    /** Per hot path: how many exclusive and shared holders the test's threads believe they have right now. */
    private static final class Witness {
        final Map<String, AtomicInteger> exclusive = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> shared = new ConcurrentHashMap<>();
        final List<String> violations = Collections.synchronizedList(new ArrayList<>());

        Witness() {
            for (String p : HOT) {
                exclusive.put(p, new AtomicInteger());
                shared.put(p, new AtomicInteger());
            }
        }

        void granted(String path, LockMode mode, String who) {
            if (mode == LockMode.EXCLUSIVE) {
                int ex = exclusive.get(path).incrementAndGet();
                int sh = shared.get(path).get();
                if (ex != 1 || sh != 0) {
                    violations.add(who + " got " + path + " exclusive while " + (ex - 1) + " exclusive and " + sh
                            + " shared holders had it");
                }
            } else {
                shared.get(path).incrementAndGet();
                int ex = exclusive.get(path).get();
                if (ex != 0) {
                    violations.add(who + " got " + path + " shared while " + ex + " exclusive holders had it");
                }
            }
        }

        void releasing(String path, LockMode mode) {
            (mode == LockMode.EXCLUSIVE ? exclusive : shared).get(path).decrementAndGet();
        }
    }

    @ParameterizedTest(name = "{0} store object(s)")
    @ValueSource(ints = {1, 2})
    void holdersNeverOverlap(int storeCount) throws Exception {
        List<FileStore> on = new ArrayList<>();
        for (int i = 0; i < storeCount; i++) {
            on.add(open());
        }
        Witness witness = new Witness();
        AtomicInteger grants = new AtomicInteger();
        AtomicInteger sharedGrants = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        List<Instance> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Instance self = instance("claude-t" + t, 1000 + t, clock.instant());
            workers.add(self);
            on.get(t % storeCount).register(self);
        }
        runAll(THREADS, t -> {
            FileStore store = on.get(t % storeCount);
            Instance self = workers.get(t);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int round = 0; round < ROUNDS; round++) {
                String path = HOT.get(random.nextInt(HOT.size()));
                LockMode mode = random.nextInt(3) == 0 ? LockMode.EXCLUSIVE : LockMode.SHARED;
                AcquireOutcome out = store.acquire(self, List.of(new LockRequest(path, mode, null)), TTL, null, null);
                if (!out.acquired()) {
                    refusals.incrementAndGet();
                    continue;
                }
                witness.granted(path, mode, self.id());
                grants.incrementAndGet();
                if (mode == LockMode.SHARED) {
                    sharedGrants.incrementAndGet();
                }
                // hold it across a few transactions of this and other threads
                for (int k = random.nextInt(3); k >= 0; k--) {
                    store.touch(self);
                }
                witness.releasing(path, mode);
                ReleaseOutcome released = store.release(self, List.of(path), false, null, Map.of());
                if (released.released().size() != 1) {
                    witness.violations.add(self.id() + " could not release " + path + ": " + released);
                }
            }
        });

        assertThat(witness.violations).isEmpty();
        // the run was contended and exercised both modes, else it proves nothing
        assertThat(grants.get()).isGreaterThan(THREADS * ROUNDS / 4);
        assertThat(sharedGrants.get()).isPositive().isLessThan(grants.get());
        assertThat(refusals.get()).isPositive();
        for (FileStore s : on) {
            assertThat(s.read().locks()).isEmpty();
            assertThat(s.read().instances()).hasSize(THREADS);
        }
        StateFiles.assertAllParse(dir, 0);
    }

    @Test
    void concurrentDecisionsGetDistinctIdsWithoutGaps() throws Exception {
        List<FileStore> on = List.of(open(), open());
        int total = 200;
        AtomicInteger next = new AtomicInteger();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        runAll(THREADS, t -> {
            FileStore store = on.get(t % 2);
            Instance self = instance("claude-d" + t, 2000 + t, clock.instant());
            int n;
            while ((n = next.getAndIncrement()) < total) {
                Decision d =
                        store.appendDecision(self, new DecisionDraft("x", "title " + n, "d", null, List.of(), null));
                ids.add(d.id());
            }
        });

        assertThat(ids).hasSize(total);
        TreeMap<String, TreeSet<Integer>> seqByDay = new TreeMap<>();
        for (String id : ids) {
            assertThat(id).matches("DEC-\\d{8}-\\d{4,}");
            seqByDay.computeIfAbsent(id.substring(4, 12), k -> new TreeSet<>()).add(Integer.parseInt(id.substring(13)));
        }
        assertThat(seqByDay).containsOnlyKeys("20261121");
        assertThat(seqByDay.get("20261121").first()).isEqualTo(1);
        assertThat(seqByDay.get("20261121").last()).isEqualTo(total);
        for (FileStore s : on) {
            assertThat(s.decisions(new DecisionQuery(null, null, null, 1000)))
                    .extracting(Decision::id)
                    .containsExactlyInAnyOrderElementsOf(ids);
        }
        assertThat(Files.readAllLines(dir.resolve("decisions.jsonl"), StandardCharsets.UTF_8))
                .hasSize(total);
        StateFiles.assertAllParse(dir, 0);
    }

    @Test
    void secondMutexOnTheSameDirectoryWaitsInsteadOfFailing() throws Exception {
        FileMutex first = new FileMutex(dir);
        FileMutex second = new FileMutex(dir);
        try {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch got = new CountDownLatch(1);
            Thread waiter;
            try (FileMutex.Held held = first.lock()) {
                waiter = new Thread(() -> {
                    try (FileMutex.Held h = second.lock()) {
                        got.countDown();
                    } catch (RuntimeException e) {
                        failure.set(e);
                    }
                });
                waiter.start();
                awaitBlockedOrDone(waiter);
                assertThat(failure.get()).as("second lock failed").isNull();
                assertThat(got.getCount())
                        .as("second lock got in while the first was held")
                        .isEqualTo(1);
            }
            assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
            waiter.join();
            assertThat(failure.get()).isNull();
        } finally {
            second.close();
            first.close();
        }
    }

    @Test
    void closingAnotherMutexOnTheSameDirectoryKeepsTheOsLock() throws Exception {
        Path procLocks = Path.of("/proc/locks");
        assumeThat(Files.isReadable(procLocks)).as("needs Linux /proc/locks").isTrue();
        FileMutex holder = new FileMutex(dir);
        try (FileMutex.Held held = holder.lock()) {
            assertThat(osLockHeld(procLocks)).as("the OS lock is taken").isTrue();
            new FileMutex(dir).close();
            assertThat(osLockHeld(procLocks))
                    .as("the OS lock survives closing another mutex of this JVM on the same file")
                    .isTrue();
        } finally {
            holder.close();
        }
    }

    /** Whether this process holds a POSIX lock on the mutex file, as the kernel reports it. */
    private boolean osLockHeld(Path procLocks) throws IOException {
        Object key = Files.readAttributes(dir.resolve(FileMutex.FILE_NAME), BasicFileAttributes.class)
                .fileKey();
        String inode = String.valueOf(key).replaceAll(".*ino=(\\d+).*", "$1");
        String pid = String.valueOf(ProcessHandle.current().pid());
        for (String line : Files.readAllLines(procLocks)) {
            String[] f = line.trim().split("\\s+");
            // 1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF
            if (f.length >= 6 && f[1].equals("POSIX") && f[4].equals(pid) && f[5].endsWith(":" + inode)) {
                return true;
            }
        }
        return false;
    }

    /** Spins (without sleeping) until the thread is parked or blocked, or has finished. */
    static void awaitBlockedOrDone(Thread t) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.isAlive()) {
            Thread.State state = t.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED) {
                return;
            }
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("thread " + t.getName() + " neither blocked nor finished: " + state);
            }
            Thread.onSpinWait();
        }
    }

    @FunctionalInterface
    private interface Worker {
        void run(int index) throws Exception;
    }

    private static void runAll(int threads, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    worker.run(index);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
