package dev.coord.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.EngineSettings;
import dev.coord.engine.Session;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.mission.MissionDocument;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import dev.coord.tools.MissionViews.Active;
import dev.coord.tools.MissionViews.ClaimResult;
import dev.coord.tools.MissionViews.Overview;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Separate JVMs claim from one queue at once, through the real engine: eight racers, plus one claimer killed with
 * SIGKILL while it holds its mission and one that dies half-way through a claim (after the move, before the stamp).
 * Every mission must be claimed exactly once, none lost, none in two folders, none overwritten; the dead claimers'
 * missions must be finished by the others' reconcile, shown stranded, and taken over with force.
 */
class ClaimRaceTest {
    static final int RACERS = 8;
    static final int MISSIONS = 50;

    @TempDir
    Path tmp;

    final List<Worker> workers = new ArrayList<>();

    /** One worker JVM and the lines it printed. */
    static final class Worker {
        final String mode;
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();
        final Path stderr;
        String instanceId;

        Worker(String mode, Process process, Path stderr) {
            this.mode = mode;
            this.process = process;
            this.stderr = stderr;
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader r =
                                new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                            for (String line; (line = r.readLine()) != null; ) {
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            lines.add("ERROR " + e);
                        }
                        lines.add("EOF");
                    },
                    "worker-out-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line, waiting up to 60 s. */
        String next() throws InterruptedException {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError(mode + " worker " + process.pid() + " printed nothing for 60 s: " + all);
            }
            all.add(line);
            return line;
        }

        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(UTF_8));
            in.flush();
        }

        /** Reads lines until one starts with the prefix; returns it. */
        String until(String prefix) throws InterruptedException {
            for (String line = next(); ; line = next()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                if (line.equals("EOF")) {
                    throw new AssertionError(mode + " worker ended before " + prefix + ": " + all);
                }
            }
        }

        /** Every line until EOF. */
        List<String> rest() throws InterruptedException {
            while (!all.contains("EOF")) {
                next();
            }
            return all;
        }
    }

    @AfterEach
    void killLeftovers() {
        for (Worker w : workers) {
            w.process.destroyForcibly();
        }
    }

    Worker start(String mode, Path state, Path repo, Path missions) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = tmp.resolve("worker-" + workers.size() + "-" + mode + ".err");
        Process p = new ProcessBuilder(
                        java,
                        "-Xshare:auto",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classPath,
                        ClaimWorker.class.getName(),
                        state.toString(),
                        repo.toString(),
                        missions.toString(),
                        mode)
                .redirectError(err.toFile())
                .start();
        Worker w = new Worker(mode, p, err);
        workers.add(w);
        return w;
    }

    static String missionText(int n) {
        String id = String.format("race-%02d", n);
        String body = "\n## Objectives\n\n- [ ] **O1**: marker " + id + "\n\n## Execution Log\n\n### 2026-01-0"
                + (1 + n % 9) + "\n\n- 09:00 - **CREATED** by the test\n";
        if (n % 2 == 0) {
            return "---\nmission_id: " + id + "\nstatus: QUEUED\npriority: " + (1 + n % 5) + "\ncreated: 2026-01-"
                    + String.format("%02d", 1 + n % 28) + "\n---\n\n# Race mission " + n + "\n" + body;
        }
        return "# Race mission " + n + "\n\n```yaml\nmission_id: " + id
                + "\nstatus: QUEUED   # QUEUED | ACTIVE | DONE\n" + "priority: " + (1 + n % 5)
                + "\nclaimed_at:\nclaimed_by:\n```\n" + body;
    }

    /**
     * The file without what coord writes into it (the four fields it sets and the execution log lines and day
     * heading it adds) and without blank lines: what must still be the user's original text.
     */
    static List<String> userText(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()
                    || line.matches("(status|claimed_at|claimed_by|completed_at):.*")
                    || line.matches("- \\d\\d:\\d\\d - \\*\\*(CLAIMED|COMPLETED|TAKEN OVER)\\*\\*.*")
                    || line.matches("### 20\\d\\d-\\d\\d-\\d\\d") && !line.startsWith("### 2026-01-0")) {
                continue;
            }
            out.add(line);
        }
        return out;
    }

    @Test
    void eightProcessesClaimFiftyMissionsEachExactlyOnceWhileTwoClaimersDie() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path missions = repo.resolve("missions");
        Path state = tmp.resolve("state");
        Files.createDirectories(missions.resolve("queue"));
        Map<String, String> originals = new TreeMap<>();
        for (int n = 0; n < MISSIONS; n++) {
            String text = missionText(n);
            Files.writeString(missions.resolve("queue").resolve(String.format("race-%02d.md", n)), text);
            originals.put(String.format("race-%02d", n), text);
        }

        for (int i = 0; i < RACERS; i++) {
            start("race", state, repo, missions);
        }
        Worker holder = start("hold", state, repo, missions);
        Worker halting = start("halt", state, repo, missions);
        for (Worker w : workers) {
            w.instanceId = w.until("READY ").substring(6);
        }
        long started = System.nanoTime();
        for (Worker w : workers) {
            w.send("GO");
        }

        String held = holder.until("CLAIMED ").substring(8);
        holder.process.destroyForcibly();
        assertThat(holder.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(holder.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(halting.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(halting.process.exitValue())
                .as("died half-way; its stderr:%n%s", Files.readString(halting.stderr, UTF_8))
                .isEqualTo(ClaimWorker.HALT_STATUS);

        Map<String, String> claimedBy = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        int refusals = 0;
        int claimCalls = 0;
        long claimMs = 0;
        long maxClaimMs = 0;
        for (Worker w : workers) {
            if (w.mode.equals("race")) {
                assertThat(w.process.waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertThat(w.process.exitValue())
                        .as("racer exit; its stderr:%n%s", Files.readString(w.stderr, UTF_8))
                        .isZero();
            }
            for (String line : w.rest()) {
                if (line.startsWith("CLAIMED ")) {
                    String id = line.substring(8);
                    if (claimedBy.put(id, w.instanceId) != null) {
                        duplicates.add(id);
                    }
                } else if (line.startsWith("END ")) {
                    String[] f = line.split(" ");
                    refusals += Integer.parseInt(f[2]);
                    claimCalls += Integer.parseInt(f[1]) + Integer.parseInt(f[2]) + 1;
                    claimMs += Long.parseLong(f[3]);
                    maxClaimMs = Math.max(maxClaimMs, Long.parseLong(f[4]));
                }
            }
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(duplicates).as("missions reported claimed by two workers").isEmpty();

        // an observer session: its first look settles the claim the halted worker left half done
        HostIdentity host = HostIdentity.current(System.getenv());
        EngineSettings settings = EngineSettings.defaults();
        try (FileStore store = FileStore.open(
                state,
                Clock.systemUTC(),
                new LivenessJudge(settings.staleAfter(), host, ProcessProbe.system()),
                FileStoreOptions.defaults())) {
            Instant now = Instant.now();
            Session observer = new Session(
                    store,
                    settings,
                    new Instance(
                            "claude-20260101-000000-0b5e77e4",
                            host.pid(),
                            host.processStart(),
                            host.host(),
                            host.bootId(),
                            repo.toString(),
                            null,
                            null,
                            null,
                            null,
                            "observer",
                            null,
                            now,
                            now),
                    () -> null);
            observer.start();
            MissionCalls svc = new MissionCalls(
                    new MissionService(store, observer, repo, missions, ZoneOffset.UTC, MissionSettler.Steps.NONE));
            Overview overview = svc.overview(store.touch(observer.self()));

            // every mission has exactly one record, settled, whose claimer is the one that reported it
            Map<String, MissionClaim> records = new HashMap<>();
            store.missions().forEach(m -> records.put(m.missionId(), m));
            assertThat(records.keySet()).containsExactlyInAnyOrderElementsOf(originals.keySet());
            assertThat(records.values()).allMatch(MissionClaim::settled, "settled");
            claimedBy.forEach((id, worker) ->
                    assertThat(records.get(id).claimedBy()).as(id).isEqualTo(worker));
            Set<String> unreported = new HashSet<>(originals.keySet());
            unreported.removeAll(claimedBy.keySet());
            String haltedId = halting.instanceId;
            assertThat(unreported)
                    .as("only the halted worker's claim was never reported")
                    .allSatisfy(id -> assertThat(records.get(id).claimedBy()).isEqualTo(haltedId))
                    .hasSize(1);

            // the files: none left in the queue, each in exactly one folder, nothing else there
            assertThat(list(missions.resolve("queue"))).isEmpty();
            List<String> active = list(missions.resolve("active"));
            List<String> done = list(missions.resolve("done"));
            Set<String> both = new HashSet<>(active);
            both.retainAll(done);
            assertThat(both).as("files in two folders").isEmpty();
            assertThat(active.size() + done.size()).isEqualTo(MISSIONS);
            for (Map.Entry<String, String> e : originals.entrySet()) {
                String id = e.getKey();
                MissionClaim rec = records.get(id);
                String folder = rec.state() == MissionState.DONE ? "done" : "active";
                Path file = missions.resolve(folder).resolve(id + ".md");
                String text = Files.readString(file, UTF_8);
                MissionDocument doc = MissionDocument.read(file);
                assertThat(doc.missionId()).isEqualTo(id);
                assertThat(doc.claimedBy()).as(id).contains(rec.claimedBy());
                assertThat(doc.status()).as(id).contains(rec.state() == MissionState.DONE ? "DONE" : "ACTIVE");
                assertThat(text.split("\\*\\*CLAIMED\\*\\*", -1))
                        .as(id + " claimed once")
                        .hasSize(2);
                assertThat(userText(text))
                        .as(id + " keeps every line of the user's")
                        .isEqualTo(userText(e.getValue()));
            }

            // the SIGKILLed holder's mission is stranded and can be taken over with force
            Active stranded = overview.active().stream()
                    .filter(a -> a.id().equals(held))
                    .findFirst()
                    .orElseThrow();
            assertThat(stranded.claimedBy()).isEqualTo(holder.instanceId);
            assertThat(stranded.stranded()).isTrue();
            ClaimResult plain = svc.claim(held, null, false, null);
            assertThat(plain.claimed()).isFalse();
            assertThat(plain.heldBy().alive()).isFalse();
            ClaimResult taken = svc.claim(held, null, true, "its session was killed");
            assertThat(taken.claimed()).isTrue();
            assertThat(taken.takenOverFrom().instanceId()).isEqualTo(holder.instanceId);
            assertThat(Files.readString(missions.resolve("active").resolve(held + ".md"), UTF_8))
                    .contains("**TAKEN OVER** by claude-20260101-000000-0b5e77e4 (\"observer\") from "
                            + holder.instanceId + ": its session was killed");

            String haltedMission = unreported.iterator().next();
            assertThat(overview.active())
                    .filteredOn(a -> a.id().equals(haltedMission))
                    .singleElement()
                    .satisfies(a -> {
                        assertThat(a.claimedBy()).isEqualTo(haltedId);
                        assertThat(a.stranded()).isTrue();
                    });
            observer.close("test over");
            System.out.println("claim race: " + (RACERS + 2) + " processes, " + MISSIONS + " missions, "
                    + claimedBy.size() + " claims reported + " + unreported.size() + " by the halted worker, "
                    + duplicates.size() + " duplicates, "
                    + (MISSIONS - records.size()) + " lost, " + done.size() + " completed, " + refusals
                    + " lost races, " + elapsedMs + " ms from GO to the last racer's end; racers' claim calls: "
                    + claimCalls + ", mean " + (claimMs / Math.max(1, claimCalls)) + " ms (waiting for the others"
                    + " included), longest " + maxClaimMs + " ms");
        }
    }

    @Test
    void ofEightProcessesClaimingTheSameMissionExactlyOneWinsAndTheOthersLearnWhoAndWhen() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path missions = repo.resolve("missions");
        Path state = tmp.resolve("state");
        Files.createDirectories(missions.resolve("queue"));
        for (int n = 0; n < 3; n++) {
            Files.writeString(missions.resolve("queue").resolve(String.format("race-%02d.md", n)), missionText(n));
        }
        for (int i = 0; i < RACERS; i++) {
            start("one:race-01", state, repo, missions);
        }
        for (Worker w : workers) {
            w.instanceId = w.until("READY ").substring(6);
        }
        for (Worker w : workers) {
            w.send("GO");
        }
        List<String> winners = new ArrayList<>();
        List<String> losses = new ArrayList<>();
        for (Worker w : workers) {
            String line = w.next();
            while (!line.equals("WON") && !line.startsWith("LOST ")) {
                line = w.next();
            }
            if (line.equals("WON")) {
                winners.add(w.instanceId);
            } else {
                losses.add(line);
            }
            assertThat(w.process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }

        assertThat(winners).hasSize(1);
        String winner = winners.get(0);
        assertThat(losses).hasSize(RACERS - 1);
        String claimedAt = MissionDocument.read(missions.resolve("active/race-01.md"))
                .claimedAt()
                .map(t -> dev.coord.engine.mission.MissionFormat.timestamp(t))
                .orElseThrow();
        assertThat(losses)
                .as("every loser names the winner, the time of its claim and the next candidate")
                .allSatisfy(
                        l -> assertThat(l).isEqualTo("LOST ALREADY_CLAIMED " + winner + " " + claimedAt + " race-00"));
        assertThat(list(missions.resolve("queue"))).containsExactly("race-00.md", "race-02.md");
        assertThat(list(missions.resolve("active"))).containsExactly("race-01.md");
        assertThat(Files.readString(missions.resolve("active/race-01.md"), UTF_8)
                        .split("\\*\\*CLAIMED\\*\\*", -1))
                .hasSize(2);
    }

    static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
