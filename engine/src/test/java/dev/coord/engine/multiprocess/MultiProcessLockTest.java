package dev.coord.engine.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several JVMs share one state directory through real {@link FileStore}s, as several coord servers do. An
 * independent witness built on {@code O_EXCL} file creation checks that no two processes ever hold conflicting
 * locks; tokens logged while the lock is held must grow in grant order; a holder killed with SIGKILL must lose its
 * locks within seconds.
 */
class MultiProcessLockTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final List<Long> TAKEOVER_MILLIS = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path tmp;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        RuntimeException first = null;
        for (ChildJvm c : children) {
            try {
                c.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @AfterAll
    static void printTakeovers() {
        List<Long> sorted = new ArrayList<>(TAKEOVER_MILLIS);
        Collections.sort(sorted);
        if (!sorted.isEmpty()) {
            System.out.println("takeover after SIGKILL over " + sorted.size() + " runs: p50 "
                    + sorted.get((sorted.size() - 1) / 2) + " ms, max " + sorted.get(sorted.size() - 1) + " ms, all "
                    + sorted);
        }
    }

    @ParameterizedTest(name = "{0} processes")
    @ValueSource(ints = {4, 6})
    void exclusiveGrantsNeverOverlapAndTokensGrowPerPath(int processes) throws Exception {
        int iterations = 150;
        List<ChildJvm> workers = startWorkers(processes, "exclusive", 2, iterations, Map.of());
        long started = System.nanoTime();
        Map<ChildJvm, Integer> done = awaitDone(workers);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(done.values()).as("grants per worker").containsOnly(iterations);
        assertNoTrouble(workers);
        List<LoggedGrant> log = grantsLog();
        assertThat(log).hasSize(processes * iterations);
        assertThat(log).extracting(LoggedGrant::mode).containsOnly(LockMode.EXCLUSIVE);
        assertThat(log).extracting(LoggedGrant::path).containsOnly("hot/p0", "hot/p1");
        assertTokensGrowInHoldingOrder(log);
        assertThat(new HashSet<>(log.stream().map(LoggedGrant::token).toList()))
                .as("every grant has its own token")
                .hasSize(log.size());
        assertThat(grantsPrinted(workers)).as("grants printed = grants logged").isEqualTo(grantSet(log));
        assertStateEmpty();
        System.out.println(processes + " processes x " + iterations + " exclusive iterations on 2 paths: " + log.size()
                + " grants, 0 violations, " + millis + " ms; " + heartbeatStats(workers));
    }

    @Test
    void sharedAndExclusiveGrantsNeverConflict() throws Exception {
        int processes = 4;
        int iterations = 100;
        List<ChildJvm> workers =
                startWorkers(processes, "mixed", 1, iterations, Map.of("sharedPct", "60", "holdMaxMs", "20"));
        Map<ChildJvm, Integer> done = awaitDone(workers);

        assertThat(done.values()).containsOnly(iterations);
        assertNoTrouble(workers);
        List<LoggedGrant> log = grantsLog();
        assertThat(log).hasSize(processes * iterations);
        assertThat(log).extracting(LoggedGrant::mode).contains(LockMode.SHARED, LockMode.EXCLUSIVE);
        assertTokensGrowInHoldingOrder(log);
        assertStateEmpty();
        long overlaps = workers.stream()
                .mapToLong(w -> w.lines(t -> t.startsWith("OVERLAP ")).size())
                .sum();
        long shared = log.stream().filter(g -> g.mode() == LockMode.SHARED).count();
        assertThat(overlaps)
                .as("shared grants that coexisted with another shared holder")
                .isPositive();
        System.out.println("mixed: " + log.size() + " grants (" + shared + " shared), " + overlaps
                + " shared grants saw another shared holder, 0 violations; " + heartbeatStats(workers));
    }

    /** The harness itself: without coord the same workers must be caught overlapping. */
    @Test
    void withoutCoordTheWitnessCatchesOverlaps() throws Exception {
        List<ChildJvm> workers = startWorkers(2, "exclusive", 1, 60, Map.of("bypass", "true"));
        awaitDone(workers);
        assertThat(violations())
                .as("violations caught by the witness without locking")
                .isNotEmpty();
        List<LoggedGrant> log = grantsLog();
        // per-worker counters restart at 1: the check that holds with coord fails here
        assertThat(tokensGrowInHoldingOrder(log)).isFalse();
    }

    @RepeatedTest(3)
    void aHolderKilledWithSigkillLosesItsLockAtOnce() throws Exception {
        Path state = tmp.resolve("state");
        Path work = tmp.resolve("work");
        ChildJvm holder = start(
                "holder",
                worker(state, work, "holder", Map.of("paths", "1", "iterations", "1", "holdForever", "true"))
                        .withTtl(600));
        ChildJvm.Line holding = holder.awaitLine(t -> t.startsWith("HOLDING "), START);
        long holderToken = Long.parseLong(holding.text().split(" ")[2]);
        ChildJvm waiter = start(
                "waiter",
                worker(
                        state,
                        work,
                        "waiter",
                        Map.of("paths", "1", "iterations", "1", "waitMs", "30000", "reportWaits", "true")));
        // coord refused the waiter several times while the holder was alive
        waiter.awaitLine(t -> t.equals("REFUSED hot/p0 " + LockWorker.REFUSALS_REPORTED), START);
        assertThat(waiter.lines(t -> t.startsWith("GRANT "))).isEmpty();
        assertThat(holder.isAlive()).isTrue();

        long killedAt = System.nanoTime();
        holder.process().destroyForcibly();
        ChildJvm.Line grant = waiter.awaitLine(t -> t.startsWith("GRANT "), Duration.ofSeconds(30));
        long takeoverMillis = (grant.receivedNanos() - killedAt) / 1_000_000;
        TAKEOVER_MILLIS.add(takeoverMillis);
        System.out.println("takeover after SIGKILL: " + takeoverMillis + " ms");

        assertThat(waiter.awaitExit(RUN)).as(waiter.describe()).isZero();
        assertThat(takeoverMillis).as("ms from SIGKILL to the waiter's grant").isLessThan(5_000);
        long waiterToken = Long.parseLong(grant.text().split(" ")[3]);
        assertThat(waiterToken).isGreaterThan(holderToken);
        assertThat(violations()).isEmpty();
        // the holder's witness was still in place when the waiter entered: it was only freed by the kill
        assertThat(waiter.lines(t -> t.startsWith("STALE "))).singleElement().satisfies(l -> assertThat(l.text())
                .contains("dead process: " + holder.pid() + " "));
        assertThat(waiter.lines(t -> t.startsWith("DONE ")))
                .extracting(ChildJvm.Line::text)
                .containsExactly("DONE 1");
        String audit = Files.readString(state.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        assertThat(audit).as("the holder was reaped by the pid check").contains("process " + holder.pid() + " exited");
    }

    @Test
    void aLivePidWithAnotherStartTimeCountsAsDead() throws Exception {
        Path state = tmp.resolve("state");
        ChildJvm child = start("idle", worker(state, tmp.resolve("work"), "idle", Map.of("idle", "true")));
        child.awaitLine(t -> t.startsWith("READY "), START);
        ProcessHandle handle = child.process().toHandle();
        Instant realStart = handle.info().startInstant().orElseThrow();
        HostIdentity me = HostIdentity.current(System.getenv());
        LivenessJudge judge = new LivenessJudge(Duration.ofMinutes(5), me, ProcessProbe.system());
        Instant now = Instant.now();

        Instance same = instance("claude-same", child.pid(), realStart, me, now);
        Instance reused = instance("claude-reused", child.pid(), realStart.minus(Duration.ofHours(1)), me, now);
        assertThat(handle.isAlive()).isTrue();
        assertThat(judge.deathReason(same, now)).isNull();
        assertThat(judge.deathReason(reused, now)).isEqualTo("process " + child.pid() + " exited");

        // through the store: a lock of the entry with the wrong start time is free for others
        LivenessJudge trusting = new LivenessJudge(Duration.ofMinutes(5), me, (pid, start) -> true);
        try (FileStore writer = FileStore.open(state, Clock.systemUTC(), trusting, FileStoreOptions.defaults());
                FileStore other = FileStore.open(state, Clock.systemUTC(), judge, FileStoreOptions.defaults())) {
            List<LockRequest> f = List.of(new LockRequest("f", LockMode.EXCLUSIVE, null));
            List<LockRequest> g = List.of(new LockRequest("g", LockMode.EXCLUSIVE, null));
            assertThat(writer.acquire(reused, f, Duration.ofMinutes(10), null, null)
                            .acquired())
                    .isTrue();
            assertThat(writer.acquire(same, g, Duration.ofMinutes(10), null, null)
                            .acquired())
                    .isTrue();
            Instance asker = instance("claude-asker", me.pid(), me.processStart(), me, Instant.now());
            assertThat(other.acquire(asker, g, Duration.ofMinutes(10), null, null)
                            .acquired())
                    .as("the live process keeps its lock")
                    .isFalse();
            assertThat(other.acquire(asker, f, Duration.ofMinutes(10), null, null)
                            .acquired())
                    .as("the reused pid's lock is void")
                    .isTrue();
            assertThat(other.read().instances()).extracting(Instance::id).doesNotContain("claude-reused");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private record WorkerArgs(List<String> args) {
        WorkerArgs withTtl(int seconds) {
            List<String> a = new ArrayList<>(args);
            a.add("ttlSeconds=" + seconds);
            return new WorkerArgs(a);
        }
    }

    private static WorkerArgs worker(Path state, Path work, String name, Map<String, String> extra) {
        List<String> a = new ArrayList<>();
        a.add("state=" + state);
        a.add("work=" + work);
        a.add("name=" + name);
        extra.forEach((k, v) -> a.add(k + "=" + v));
        return new WorkerArgs(a);
    }

    private ChildJvm start(String name, WorkerArgs args) {
        List<String> flags = new ArrayList<>(ChildJvm.LIGHT_FLAGS);
        flags.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        ChildJvm c = ChildJvm.start(name, LockWorker.class, flags, args.args());
        children.add(c);
        return c;
    }

    /** Starts the workers one after the other, each registered before the next, then opens the gate for all. */
    private List<ChildJvm> startWorkers(
            int processes, String mode, int paths, int iterations, Map<String, String> extra) throws IOException {
        Path state = tmp.resolve("state");
        Path work = tmp.resolve("work");
        Files.createDirectories(work);
        Path gate = tmp.resolve("gate");
        List<ChildJvm> workers = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Map<String, String> m = new LinkedHashMap<>(extra);
            m.put("mode", mode);
            m.put("paths", Integer.toString(paths));
            m.put("iterations", Integer.toString(iterations));
            m.put("gate", gate.toString());
            ChildJvm w = start("w" + i, worker(state, work, "w" + i, m));
            workers.add(w);
            // one JVM starting at a time: on 2 cores, several at once starve the running ones' heartbeats
            w.awaitLine(t -> t.startsWith("READY "), START);
        }
        Files.createFile(gate);
        return workers;
    }

    /** Waits (up to {@link #RUN} for all) for every worker to exit 0 after {@code DONE n}; returns n per worker. */
    private static Map<ChildJvm, Integer> awaitDone(List<ChildJvm> workers) {
        Map<ChildJvm, Integer> done = new LinkedHashMap<>();
        long deadline = System.nanoTime() + RUN.toNanos();
        for (ChildJvm w : workers) {
            int code = w.awaitExit(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            assertThat(code).as("exit code\n" + w.describe()).isZero();
            List<ChildJvm.Line> last = w.lines(t -> t.startsWith("DONE "));
            assertThat(last).as("DONE line\n" + w.describe()).hasSize(1);
            done.put(w, Integer.parseInt(last.get(0).text().substring(5)));
        }
        return done;
    }

    private void assertNoTrouble(List<ChildJvm> workers) throws IOException {
        Predicate<String> trouble = t -> t.startsWith("VIOLATION")
                || t.startsWith("LOST")
                || t.startsWith("STALE")
                || t.startsWith("NOTICE")
                || t.startsWith("TIMEOUT")
                || t.startsWith("ERROR");
        for (ChildJvm w : workers) {
            assertThat(w.lines(trouble)).as(w.describe()).isEmpty();
        }
        assertThat(violations()).isEmpty();
    }

    /** The worst heartbeat figures over the workers, from their STATS lines. */
    private static String heartbeatStats(List<ChildJvm> workers) {
        long gap = 0;
        long call = 0;
        for (ChildJvm w : workers) {
            for (ChildJvm.Line l : w.lines(t -> t.startsWith("STATS "))) {
                gap = Math.max(gap, statValue(l.text(), "max_beat_gap_ms"));
                call = Math.max(call, statValue(l.text(), "max_heartbeat_ms"));
            }
        }
        return "longest gap between heartbeats " + gap + " ms, slowest heartbeat call " + call + " ms";
    }

    private static long statValue(String statsLine, String key) {
        int at = statsLine.indexOf(key + "=");
        if (at < 0) {
            return 0;
        }
        String rest = statsLine.substring(at + key.length() + 1);
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
            end++;
        }
        return Long.parseLong(rest.substring(0, end));
    }

    private List<String> violations() throws IOException {
        Path f = tmp.resolve("work").resolve(LockWorker.VIOLATIONS);
        return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
    }

    private record LoggedGrant(String path, LockMode mode, long token, long pid) {}

    private List<LoggedGrant> grantsLog() throws IOException {
        List<LoggedGrant> out = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("work").resolve(LockWorker.GRANTS_LOG))) {
            String[] p = line.split(" ");
            assertThat(p).as("log line '%s'", line).hasSize(6);
            assertThat(p[0]).isEqualTo("GRANT");
            out.add(new LoggedGrant(p[1], LockMode.parse(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4])));
        }
        return out;
    }

    /**
     * Each line was appended while its writer held the lock, so on one path a line follows the lines of every
     * holder that released before this grant was made. Hence: an exclusive grant's token is above every earlier
     * token of its path, and a shared grant's token is above every earlier exclusive token of its path.
     */
    private static void assertTokensGrowInHoldingOrder(List<LoggedGrant> log) {
        assertThat(tokensGrowInHoldingOrder(log))
                .as("tokens per path in holding order: %s", firstDisorder(log))
                .isTrue();
    }

    private static boolean tokensGrowInHoldingOrder(List<LoggedGrant> log) {
        return firstDisorder(log) == null;
    }

    private static String firstDisorder(List<LoggedGrant> log) {
        Map<String, Long> maxAny = new HashMap<>();
        Map<String, Long> maxExclusive = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            LoggedGrant g = log.get(i);
            long bound = g.mode() == LockMode.EXCLUSIVE
                    ? maxAny.getOrDefault(g.path(), 0L)
                    : maxExclusive.getOrDefault(g.path(), 0L);
            if (g.token() <= bound) {
                return "line " + (i + 1) + " " + g + " is not above " + bound;
            }
            maxAny.merge(g.path(), g.token(), Math::max);
            if (g.mode() == LockMode.EXCLUSIVE) {
                maxExclusive.merge(g.path(), g.token(), Math::max);
            }
        }
        return null;
    }

    private static Set<String> grantSet(List<LoggedGrant> log) {
        Set<String> out = new HashSet<>();
        log.forEach(g -> out.add(g.path() + " " + g.mode().wireName() + " " + g.token() + " " + g.pid()));
        return out;
    }

    private static Set<String> grantsPrinted(List<ChildJvm> workers) {
        Set<String> out = new HashSet<>();
        for (ChildJvm w : workers) {
            w.lines(t -> t.startsWith("GRANT ")).forEach(l -> out.add(l.text().substring(6)));
        }
        return out;
    }

    /** After every worker closed its session, nothing is left: no instance, lock or waiter. */
    private void assertStateEmpty() {
        HostIdentity me = HostIdentity.current(System.getenv());
        LivenessJudge judge = new LivenessJudge(Duration.ofSeconds(1), me, ProcessProbe.system());
        try (FileStore store =
                FileStore.open(tmp.resolve("state"), Clock.systemUTC(), judge, FileStoreOptions.defaults())) {
            Snapshot s = store.read();
            assertThat(s.instances()).isEmpty();
            assertThat(s.locks()).isEmpty();
            assertThat(s.waiters()).isEmpty();
            assertThat(store.problems()).isEmpty();
        }
    }

    private static Instance instance(String id, long pid, Instant start, HostIdentity me, Instant now) {
        return new Instance(
                id, pid, start, me.host(), me.bootId(), "/repo", null, null, null, null, "task", "role", now, now);
    }
}
