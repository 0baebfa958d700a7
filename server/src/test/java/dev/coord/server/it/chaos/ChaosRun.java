package dev.coord.server.it.chaos;

import dev.coord.engine.liveness.ProcState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Runs real servers on one repository under chaos: N slots, each a server process with its {@link Driver}, and a
 * killer that sends SIGKILL (and starts a replacement) or SIGSTOP, waits longer than the lease, and sends SIGCONT.
 * At most half the slots (at least one) are disturbed at once, so the others keep the state moving.
 */
final class ChaosRun {
    /** Timing of the servers under test and of the chaos. */
    record Settings(
            Path jar,
            Path repo,
            Path logs,
            Duration ttl,
            Duration heartbeat,
            Duration staleAfter,
            long callTimeoutMillis,
            long minGapMillis,
            long maxGapMillis) {

        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("COORD_LOCK_TTL", ttl.toMillis() + "ms");
            env.put("COORD_HEARTBEAT_INTERVAL", heartbeat.toMillis() + "ms");
            env.put("COORD_STALE_AFTER", staleAfter.toMillis() + "ms");
            env.put("COORD_MAX_WAIT", "30s");
            env.put("COORD_ENFORCE", "deny");
            // the repository is a git repository of its own (see prepare); the state and missions are named
            // explicitly too, so that a run can never reach the state of a repository that contains it
            env.put("COORD_STATE_DIR", repo.resolve(".claude/coordination").toString());
            env.put("COORD_MISSIONS_DIR", repo.resolve("missions").toString());
            // the overlap radar at five times its default rate, over the worktrees of GitWorkload
            env.put("COORD_RADAR_INTERVAL", RADAR_INTERVAL.toMillis() + "ms");
            return env;
        }

        /** A pause is longer than the lease (and so than the stale timeout) by 0.5 to 2 s. */
        long pauseMillis() {
            return ttl.toMillis() + ThreadLocalRandom.current().nextLong(500, 2_000);
        }
    }

    static final Duration RADAR_INTERVAL = Duration.ofSeconds(1);

    final Settings settings;
    final Ledger ledger;
    /** The sessions' worktrees and their git work, and the watch on radar.json; null: everything in the repository. */
    private GitWorkload git;

    private RadarWatch radarWatch;
    private final AtomicInteger incarnationSeq = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    ChaosRun(Settings settings, Ledger ledger) {
        this.settings = settings;
        this.ledger = ledger;
    }

    /** Runs each slot's server in a worktree of {@code git} (slot modulo their number) and lets the killer aim. */
    void useGit(GitWorkload git, RadarWatch radarWatch) {
        this.git = git;
        this.radarWatch = radarWatch;
        ledger.git.interval = RADAR_INTERVAL;
    }

    /** Starts a server, initializes it, registers it. */
    Incarnation launch(int slot) throws IOException {
        int n = incarnationSeq.incrementAndGet();
        Path worktree = git == null ? settings.repo() : git.worktreeOf(slot);
        RawServer server = RawServer.start(
                settings.jar(), worktree, settings.env(), settings.logs().resolve("server-" + n + ".log"));
        Incarnation inc = new Incarnation(slot, n, server, phaseN);
        inc.worktree = git == null ? null : worktree;
        ledger.add(inc);
        server.initialize(120_000);
        JsonNode reg = server.call("register_instance", Map.of("task", "chaos slot " + slot), 120_000);
        inc.instanceId = reg.path("structuredContent").path("instance_id").asString();
        inc.registeredAt = Ledger.now();
        return inc;
    }

    private volatile boolean stopping;
    private volatile int phaseN;

    /** One phase of {@code n} slots for {@code millis}. */
    void phase(int n, long millis) throws Exception {
        stopping = false;
        phaseN = n;
        Incarnation[] current = new Incarnation[n];
        Set<Integer> disturbed = new HashSet<>();
        List<Thread> starters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int slot = i;
            starters.add(start("chaos-helper", () -> {
                try {
                    Incarnation inc = launch(slot);
                    synchronized (current) {
                        current[slot] = inc;
                    }
                    drive(inc);
                } catch (IOException | RuntimeException e) {
                    ledger.unexpected("start failed: " + e);
                }
            }));
        }
        for (Thread t : starters) {
            t.join();
        }
        long windowFrom = Ledger.now();
        long deadline = System.currentTimeMillis() + millis;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        List<Thread> helpers = new ArrayList<>();
        boolean first = true;
        while (true) {
            long gap = first ? 300 : rnd.nextLong(settings.minGapMillis(), settings.maxGapMillis());
            Thread.sleep(gap);
            if (first) {
                // the first disturbance is a pause of a holder: wait (a little) until some driver holds a lock
                for (int i = 0; i < 100 && holderSlot(current, allSlots(n)) == null; i++) {
                    Thread.sleep(20);
                }
            }
            if (System.currentTimeMillis() >= deadline) {
                break;
            }
            int slot;
            Incarnation victim;
            synchronized (current) {
                List<Integer> candidates = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (!disturbed.contains(i) && current[i] != null && current[i].server.alive()) {
                        candidates.add(i);
                    }
                }
                if (candidates.isEmpty() || disturbed.size() >= Math.max(1, n / 2)) {
                    continue;
                }
                slot = candidates.get(rnd.nextInt(candidates.size()));
                long pause = settings.pauseMillis();
                boolean doPause = first || rnd.nextBoolean();
                // others must run on long enough after the pause began to declare the paused one dead
                if (doPause
                        && System.currentTimeMillis() + settings.staleAfter().toMillis() + 2_000 > deadline) {
                    doPause = false;
                }
                // pauses always, kills half of the time, go to a process that holds a lock right now if there is one
                if (doPause || rnd.nextBoolean()) {
                    Integer holder = holderSlot(current, candidates);
                    if (holder != null) {
                        slot = holder;
                    }
                }
                // one disturbance in three goes to the process running the radar right now, if one is
                if (radarWatch != null && rnd.nextInt(3) == 0) {
                    Integer radarHolder = radarHolderSlot(current, candidates);
                    if (radarHolder != null) {
                        slot = radarHolder;
                    }
                }
                victim = current[slot];
                disturbed.add(slot);
                first = false;
                if (doPause) {
                    helpers.add(start("chaos-helper", () -> {
                        pause(victim, pause);
                        synchronized (current) {
                            disturbed.remove(victim.slot);
                        }
                    }));
                    continue;
                }
            }
            boolean radarHolder = radarWatch != null && radarWatch.holderPid() == victim.server.pid;
            victim.killedAt = Ledger.now();
            ledger.kills.incrementAndGet();
            victim.server.kill();
            if (radarHolder) {
                ledger.git.disturbed(new GitLedger.Disturbance(victim.killedAt, "kill", victim.server.pid, n));
            }
            int s = slot;
            helpers.add(start("chaos-helper", () -> {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(50, 300));
                    if (!stopping) {
                        Incarnation next = launch(s);
                        ledger.replacements.incrementAndGet();
                        synchronized (current) {
                            current[s] = next;
                        }
                        drive(next);
                    }
                } catch (IOException | RuntimeException e) {
                    ledger.unexpected("replacement failed: " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    synchronized (current) {
                        disturbed.remove(s);
                    }
                }
            }));
        }
        if (n >= 4) {
            // at most half the slots are disturbed: at least two sessions run, so the radar has work throughout
            ledger.git.window(windowFrom, Ledger.now());
        }
        stopping = true;
        for (Thread t : helpers) {
            t.join();
        }
        for (Thread t : threads) {
            t.join(settings.callTimeoutMillis() + 30_000);
            if (t.isAlive()) {
                ledger.unexpected("a driver did not stop");
            }
        }
        threads.clear();
        for (Incarnation inc : current) {
            if (inc != null) {
                inc.server.close(20_000);
            }
        }
    }

    private static List<Integer> allSlots(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A candidate slot whose process holds radar.lock (runs the radar), looking for up to 1 s; or null. */
    private Integer radarHolderSlot(Incarnation[] current, List<Integer> candidates) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            long pid = radarWatch.holderPid();
            for (int c : candidates) {
                if (current[c] != null && current[c].server.pid == pid) {
                    return c;
                }
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** A candidate slot whose driver holds a lock (or, one time in three, a mission) right now, if any. */
    private Integer holderSlot(Incarnation[] current, List<Integer> candidates) {
        if (ThreadLocalRandom.current().nextInt(3) == 0) {
            List<Ledger.Claim> claims = ledger.claims();
            for (int i = claims.size() - 1; i >= Math.max(0, claims.size() - 16); i--) {
                Ledger.Claim c = claims.get(i);
                if (c.endAt == Long.MAX_VALUE
                        && c.who.killedAt < 0
                        && candidates.contains(c.who.slot)
                        && current[c.who.slot] == c.who) {
                    return c.who.slot;
                }
            }
        }
        List<Ledger.Hold> all = ledger.holds();
        for (int i = all.size() - 1; i >= Math.max(0, all.size() - 64); i--) {
            Ledger.Hold h = all.get(i);
            if (h.endAt == Long.MAX_VALUE
                    && h.who.killedAt < 0
                    && candidates.contains(h.who.slot)
                    && current[h.who.slot] == h.who) {
                return h.who.slot;
            }
        }
        return null;
    }

    private void pause(Incarnation victim, long millis) {
        victim.pausedSince = Ledger.now();
        victim.server.signal("STOP");
        long from = Ledger.now();
        if (radarWatch != null && radarWatch.holderPid() == victim.server.pid) {
            // stopped while running the radar: it keeps radar.lock until it is resumed
            ledger.git.disturbed(new GitLedger.Disturbance(from, "stop", victim.server.pid, victim.phase));
        }
        ledger.pauses.incrementAndGet();
        long until = from + millis * 1000;
        boolean resumedByPeer = false;
        while (Ledger.now() < until) {
            Driver.sleepMicros(20_000);
            // a peer waiting for coord.lock or missions.lock resumes a holder stopped inside the mutex (SIGCONT,
            // StalledHolderWatch): the pause ends there, and the witness must not believe it lasted any longer
            if (ProcState.of(victim.server.pid).map(state -> state != 'T').orElse(false)) {
                resumedByPeer = true;
                break;
            }
        }
        long to = Ledger.now();
        victim.server.signal("CONT");
        victim.paused(from, to);
        victim.pausedSince = -1;
        if (resumedByPeer) {
            ledger.pausesEndedByPeer.incrementAndGet();
        }
        if ((to - from) / 1000 > settings.ttl().toMillis()) {
            ledger.pausesLongerThanLease.incrementAndGet();
        }
    }

    private void drive(Incarnation inc) {
        Thread t = start(
                "chaos-driver-" + inc.number,
                new Driver(
                        inc,
                        ledger,
                        settings.repo().resolve("missions"),
                        settings.callTimeoutMillis(),
                        settings.staleAfter().toMillis() * 1000,
                        () -> stopping));
        synchronized (threads) {
            threads.add(t);
        }
    }

    /**
     * Crash-during-write trials: a server gets a burst of writing calls without waiting for answers (decisions, locks,
     * claims and finishes) and is killed a few milliseconds later, while it writes. A second server keeps working
     * next to it. Decisions whose answer arrived before the kill are recorded as acknowledged.
     */
    void crashTrials(int count) throws Exception {
        phaseN = 0;
        Incarnation survivor = launch(100);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int trial = 0; trial < count; trial++) {
            Incarnation victim = launch(101);
            List<java.util.concurrent.CompletableFuture<JsonNode>> decisions = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                decisions.add(victim.server.callAsync(
                        "log_decision",
                        Map.of("category", "crash", "title", "trial " + trial, "description", "burst " + i)));
                String path = Driver.PATHS.get(rnd.nextInt(Driver.PATHS.size()));
                victim.server.callAsync("acquire_lock", Map.of("paths", List.of(path)));
                if (i % 4 == 0) {
                    victim.server.callAsync("claim_mission", Map.of());
                    victim.server.callAsync("finish_mission", Map.of("outcome", "give_back", "reason", "crash"));
                }
                if (i % 3 == 0) {
                    victim.server.callAsync("release_lock", Map.of("all", true));
                }
            }
            Thread.sleep(rnd.nextLong(5, 120));
            victim.killedAt = Ledger.now();
            ledger.kills.incrementAndGet();
            victim.server.kill();
            for (var f : decisions) {
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    JsonNode r = f.join().path("result");
                    if (!r.path("isError").asBoolean(false)) {
                        ledger.decision(r.path("structuredContent").path("id").asString());
                    }
                }
            }
            // the survivor's next calls find the dead process, take its locks, and finish its half-done claims
            JsonNode acq = survivor.server.call("acquire_lock", Map.of("paths", List.of("hot/", "cold/c.txt")), 60_000);
            if (acq.path("isError").asBoolean(false)
                    || !acq.path("structuredContent").path("acquired").asBoolean(false)) {
                ledger.unexpected("after a crash trial the survivor could not lock everything: " + acq);
            }
            survivor.server.call("release_lock", Map.of("all", true), 60_000);
            survivor.server.call("status", Map.of(), 60_000);
        }
        survivor.server.close(20_000);
    }

    /** Marks the servers launched from now on as of phase {@code n} (0 crash trials, negative after the chaos). */
    void phaseNumber(int n) {
        phaseN = n;
    }

    /** A fresh server after everything stopped: it cleans up at start; returns its {@code status}. */
    JsonNode freshStart() throws IOException {
        phaseN = -1;
        Incarnation inc = launch(200);
        JsonNode status = inc.server.call("status", Map.of(), 60_000).path("structuredContent");
        inc.server.close(20_000);
        return status;
    }

    static void prepare(Path repo, int missions, Ledger ledger) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "init", "-q", repo.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (git.waitFor() != 0 || !Files.isDirectory(repo.resolve(".git"))) {
            throw new IllegalStateException("git init " + repo + " failed: " + out);
        }
        Files.createDirectories(repo.resolve("hot"));
        Files.createDirectories(repo.resolve("cold"));
        Files.writeString(repo.resolve("hot/a.txt"), "a\n");
        Files.writeString(repo.resolve("hot/b.txt"), "b\n");
        Files.writeString(repo.resolve("cold/c.txt"), "c\n");
        for (String f : List.of("queue", "active", "done")) {
            Files.createDirectories(repo.resolve("missions").resolve(f));
        }
        for (int i = 0; i < missions; i++) {
            Driver.addMission(repo.resolve("missions"), ledger);
        }
    }
}
