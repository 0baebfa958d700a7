package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several real {@code coord.jar} servers on one PostgreSQL, each in its own clone and with its own host id, as if on
 * different machines: they race for one lock and one mission, and one of them is killed with SIGKILL.
 */
class PostgresMultiHostIT {
    private static final AtomicInteger PROJECTS = new AtomicInteger();
    private static String url;

    @TempDir
    Path base;

    private final List<CoordProcess> processes = new ArrayList<>();
    private final String project = "it.example/multi-host-" + PROJECTS.incrementAndGet();

    @BeforeAll
    static void database() {
        url = PostgresServer.shared().newDatabase("multihost");
    }

    @AfterEach
    void stopAll() {
        for (CoordProcess p : processes) {
            try {
                p.close();
            } catch (RuntimeException e) {
                // a killed process cannot close gracefully
            }
        }
    }

    private CoordProcess start(String host, Map<String, String> extra) throws Exception {
        Path clone = Files.createDirectories(base.resolve(host));
        Map<String, String> env = new HashMap<>(extra);
        env.put("COORD_STORE_URL", url);
        env.put("COORD_PROJECT", project);
        env.put("COORD_HOST_ID", host);
        CoordProcess p = new CoordProcess(clone, env);
        processes.add(p);
        return p;
    }

    @Test
    @SuppressWarnings("unchecked")
    void serversOnSeveralHostsNeverHoldOneLockAtOnce() throws Exception {
        int servers = 4;
        int rounds = 12;
        List<CoordProcess> ps = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            ps.add(start("host-" + i, Map.of()));
        }
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        ConcurrentLinkedQueue<Long> tokens = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (CoordProcess p : ps) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int r = 0; r < rounds; r++) {
                        Map<String, Object> out = p.ok(
                                "acquire_lock",
                                Map.of("paths", List.of("src/shared.txt"), "wait_seconds", 120, "reason", "race"));
                        assertThat(out).containsEntry("acquired", true);
                        if (holders.incrementAndGet() != 1) {
                            violations.incrementAndGet();
                        }
                        grants.incrementAndGet();
                        List<Map<String, Object>> g = (List<Map<String, Object>>) out.get("locks");
                        tokens.add(((Number) g.get(0).get("token")).longValue());
                        Thread.sleep(10);
                        holders.decrementAndGet();
                        p.ok("release_lock", Map.of("paths", List.of("src/shared.txt")));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(
                "multi-host lock race: %d servers, %d grants, %d violations%n",
                servers, grants.get(), violations.get());
        assertThat(violations.get()).isZero();
        assertThat(grants.get()).isEqualTo(servers * rounds);
        assertThat(new TreeSet<>(tokens)).hasSize(servers * rounds);
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneMissionIsWonOnceAcrossClonesAndLosersLearnTheWinner() throws Exception {
        int servers = 4;
        List<CoordProcess> ps = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            CoordProcess p = start("clone-" + i, Map.of());
            Path queue = Files.createDirectories(base.resolve("clone-" + i).resolve("missions/queue"));
            Files.writeString(queue.resolve("thaifa.md"), MissionsIT.THAIFA);
            ps.add(p);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        List<Map<String, Object>> outcomes = new ArrayList<>();
        try {
            List<Future<Map<String, Object>>> futures = new ArrayList<>();
            for (CoordProcess p : ps) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return p.ok("claim_mission", Map.of("mission_id", "2026-11-20-thaifa"));
                }));
            }
            go.countDown();
            for (Future<Map<String, Object>> f : futures) {
                outcomes.add(f.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        List<Map<String, Object>> winners = outcomes.stream()
                .filter(o -> Boolean.TRUE.equals(o.get("claimed")))
                .collect(Collectors.toList());
        System.out.printf("multi-host mission race: %d servers, %d winner(s)%n", servers, winners.size());
        assertThat(winners).hasSize(1);
        String winner = (String) ((Map<String, Object>) winners.get(0).get("mission")).get("claimed_by");
        Set<String> losersSaw = new TreeSet<>();
        for (Map<String, Object> o : outcomes) {
            if (!Boolean.TRUE.equals(o.get("claimed"))) {
                assertThat(o).containsEntry("code", "ALREADY_CLAIMED");
                losersSaw.add((String) ((Map<String, Object>) o.get("held_by")).get("instance_id"));
            }
        }
        assertThat(losersSaw).containsExactly(winner);
    }

    @Test
    @SuppressWarnings("unchecked")
    void locksOfAServerKilledOnAnotherHostAreTakenOverOnceItsHeartbeatIsStale() throws Exception {
        Map<String, String> fast = Map.of("COORD_STALE_AFTER", "4s", "COORD_HEARTBEAT_INTERVAL", "1s");
        CoordProcess survivor = start("host-survivor", fast);
        Set<Long> before =
                ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
        CoordProcess victim = start("host-victim", fast);
        List<ProcessHandle> spawned = ProcessHandle.current()
                .children()
                .filter(h -> !before.contains(h.pid()))
                .toList();
        assertThat(spawned).as("the victim's server process").hasSize(1);
        Map<String, Object> held = victim.ok(
                "acquire_lock", Map.of("paths", List.of("src/held.txt"), "ttl_seconds", 3600, "reason", "victim"));
        assertThat(held).containsEntry("acquired", true);
        long victimToken =
                ((Number) ((List<Map<String, Object>>) held.get("locks")).get(0).get("token")).longValue();
        Map<String, Object> refused = survivor.ok("acquire_lock", Map.of("paths", List.of("src/held.txt")));
        assertThat(refused).containsEntry("acquired", false);

        assertThat(spawned.get(0).destroyForcibly()).isTrue();
        spawned.get(0).onExit().get(30, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        Map<String, Object> taken = survivor.ok(
                "acquire_lock", Map.of("paths", List.of("src/held.txt"), "wait_seconds", 60, "reason", "takeover"));
        long waitedMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("multi-host takeover after SIGKILL: granted after %d ms (stale after 4 s)%n", waitedMs);
        assertThat(taken).containsEntry("acquired", true);
        long newToken = ((Number)
                        ((List<Map<String, Object>>) taken.get("locks")).get(0).get("token"))
                .longValue();
        assertThat(newToken).isGreaterThan(victimToken);
        Map<String, Object> status = survivor.ok("status", Map.of());
        assertThat(String.valueOf(status.get("instances"))).doesNotContain("host-victim");
    }
}
