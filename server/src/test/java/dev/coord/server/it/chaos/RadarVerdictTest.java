package dev.coord.server.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git and radar judges of the chaos suite on made-up histories: each must see what it exists to see. */
class RadarVerdictTest {
    static final long T0 = 1_800_000_000_000_000L;
    static final long S = 1_000_000;

    @TempDir
    Path dir;

    GitLedger g = new GitLedger();
    Incarnation a = new Incarnation(0, 1, null, 4);
    Incarnation b = new Incarnation(1, 2, null, 4);

    private RadarVerdict verdict(List<Incarnation> incarnations) throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        return RadarVerdict.of(g, incarnations, state);
    }

    @Test
    void aTornOrInvalidRadarJsonIsCounted() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        RadarWatch watch = new RadarWatch(state, g);
        String good = "{\"computed_at\":\"2026-12-07T22:00:00Z\",\"took_ms\":3,\"predicted\":true,\"sessions\":{},"
                + "\"changes\":[],\"overlaps\":[],\"cut\":false,\"problems\":[]}";
        Files.writeString(state.resolve("radar.json"), good);
        watch.sample();
        assertThat(verdict(List.of()).count("radar.json reads that did not parse or match its schema"))
                .isZero();
        Files.writeString(state.resolve("radar.json"), good.substring(0, 40));
        watch.sample();
        Files.writeString(state.resolve("radar.json"), good.replace("\"took_ms\":3", "\"took_ms\":\"3\""));
        watch.sample();
        RadarVerdict v = verdict(List.of());
        assertThat(v.count("radar.json reads")).isEqualTo(3);
        assertThat(v.count("radar.json reads that did not parse or match its schema"))
                .isEqualTo(2);
        assertThat(v.details).anyMatch(d -> d.contains("does not parse")).anyMatch(d -> d.contains("does not match"));
    }

    @Test
    void aRadarThatStopsRunningIsCounted() throws Exception {
        g.window(T0, T0 + 30 * S);
        g.computation(new GitLedger.Computation(T0 + S, T0 + S, 20));
        g.computation(new GitLedger.Computation(T0 + 3 * S, T0 + 2 * S, 20));
        g.computation(new GitLedger.Computation(T0 + 5 * S, T0 + 4 * S, 20));
        // a stopped holder: nothing for 11.5 s, more than 5 waits of 1 s and 2 s
        g.computation(new GitLedger.Computation(T0 + 16 * S, T0 + 15_500_000, 20));
        g.computation(new GitLedger.Computation(T0 + 29 * S, T0 + 28 * S, 20));
        RadarVerdict v = verdict(List.of());
        assertThat(v.count("radar went without a fresh run for longer than its bound (5 waits + 2 s)"))
                .isEqualTo(2);
        assertThat(v.gapMillis).contains(1_000L, 2_000L, 11_500L, 12_500L);
    }

    @Test
    void aSlowRunStretchesTheBoundAndAPhaseWithNoRunIsAStall() throws Exception {
        g.window(T0, T0 + 20 * S);
        g.computation(new GitLedger.Computation(T0 + S, T0 + S, 300)); // wait 3 s: bound 17 s
        g.computation(new GitLedger.Computation(T0 + 13 * S, T0 + 12 * S, 300));
        g.computation(new GitLedger.Computation(T0 + 20 * S, T0 + 19 * S, 300));
        assertThat(verdict(List.of()).count("radar went without a fresh run for longer than its bound (5 waits + 2 s)"))
                .isZero();
        g.window(T0 + 100 * S, T0 + 115 * S);
        assertThat(verdict(List.of()).count("radar went without a fresh run for longer than its bound (5 waits + 2 s)"))
                .isEqualTo(1);
    }

    @Test
    void theTakeoverAfterADisturbedHolderIsMeasured() throws Exception {
        g.computation(new GitLedger.Computation(T0, T0, 20));
        g.disturbed(new GitLedger.Disturbance(T0 + 500_000, "stop", 42, 4));
        g.disturbed(new GitLedger.Disturbance(T0 + 600_000, "kill", 43, 2)); // 2 servers: left out
        g.computation(new GitLedger.Computation(T0 + 4 * S, T0 + 3_700_000, 20));
        RadarVerdict v = verdict(List.of());
        assertThat(v.stopTakeoverMillis).containsExactly(3_200L);
        assertThat(v.takeoverMillis).isEmpty();
        assertThat(v.count("kills and stops of the process holding radar.lock (phases of 4 and 8)"))
                .isEqualTo(1);
    }

    @Test
    void aRadarThatDiffersFromTheTruthIsFound() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        ChaosRun.prepare(repo, 0, new Ledger());
        GitWorkload w = GitWorkload.prepare(repo, dir, 2, g);
        w.append(0, "shared/s1.txt");
        w.append(1, "shared/s1.txt");
        w.append(1, "own-1/x.txt");
        Map<String, Integer> sessions = Map.of("claude-a", 0, "claude-b", 1);
        Set<String> expected = w.expectedOverlaps(sessions);
        assertThat(expected).containsExactly("shared/s1.txt claude-a claude-b null");
        Path state = Files.createDirectories(dir.resolve("state"));
        String sessionsJson =
                "{\"claude-a\":\"" + w.worktrees.get(0) + "\",\"claude-b\":\"" + w.worktrees.get(1) + "\"}";
        String head = "{\"computed_at\":\"2026-12-07T22:00:00Z\",\"took_ms\":3,\"predicted\":true,\"sessions\":"
                + sessionsJson + ",\"changes\":[],\"cut\":false,\"problems\":[],\"overlaps\":";
        Files.writeString(state.resolve("radar.json"), head + "[]}");
        assertThat(RadarConvergence.differences(expected, sessions, w, state, List.of()))
                .containsExactly("radar.json misses shared/s1.txt claude-a claude-b null");
        Files.writeString(
                state.resolve("radar.json"),
                head + "[{\"path\":\"shared/s1.txt\",\"a\":\"claude-a\",\"b\":\"claude-b\",\"conflict\":true}]}");
        assertThat(RadarConvergence.differences(expected, sessions, w, state, List.of()))
                .hasSize(2)
                .anyMatch(d -> d.contains("has shared/s1.txt claude-a claude-b true"));
        Files.writeString(
                state.resolve("radar.json"),
                head + "[{\"path\":\"shared/s1.txt\",\"a\":\"claude-a\",\"b\":\"claude-b\"}]}");
        assertThat(RadarConvergence.differences(expected, sessions, w, state, List.of()))
                .isEmpty();
        // computed for other sessions: not converged
        assertThat(RadarConvergence.differences(expected, Map.of("claude-a", 0), w, state, List.of()))
                .singleElement()
                .asString()
                .contains("computed for");

        // the witness agrees with git after a commit, and sees a file it did not write
        GitWorkload.git(w.worktrees.get(0), "add", "-A");
        assertThat(GitWorkload.git(
                                w.worktrees.get(0), "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "x")
                        .ok())
                .isTrue();
        w.crossCheck();
        assertThat(g.witnessDisagrees).isEmpty();
        Files.writeString(w.worktrees.get(1).resolve("stray.txt"), "written by nobody the witness knows\n");
        w.crossCheck();
        assertThat(g.witnessDisagrees).singleElement().asString().contains("stray.txt");
    }

    @Test
    void gitLeftBrokenOrRunningIsCounted() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        ChaosRun.prepare(repo, 0, new Ledger());
        GitWorkload w = GitWorkload.prepare(repo, dir, 2, g);
        w.healthCheck(dir);
        RadarVerdict clean = verdict(List.of());
        assertThat(clean.count("git lock files left (index.lock and others)")).isZero();
        assertThat(clean.count("git processes of coord left running after every server stopped"))
                .isZero();
        assertThat(clean.count("worktrees where git status or git commit failed after the chaos"))
                .isZero();
        assertThat(clean.count("git fsck problems")).isZero();

        Process hung = new ProcessBuilder("git", "hash-object", "--stdin")
                .directory(w.worktrees.get(1).toFile())
                .start();
        try {
            assertThat(GitWorkload.gitProcessesUnder(dir)).anyMatch(p -> p.startsWith(hung.pid() + " "));
        } finally {
            hung.getOutputStream().close();
            hung.waitFor();
        }
        Path lock = repo.resolve(".git/worktrees/wt-0/index.lock");
        Files.writeString(lock, "");
        w.healthCheck(dir);
        RadarVerdict v = verdict(List.of());
        assertThat(v.count("git lock files left (index.lock and others)")).isEqualTo(1);
        assertThat(v.count("worktrees where git status or git commit failed after the chaos"))
                .isEqualTo(1);
        g.gitFailure("wt-0: git commit exited 128: fatal: Unable to create index.lock: File exists");
        assertThat(verdict(List.of()).count("sessions' git commands that failed during the chaos"))
                .isEqualTo(1);
    }

    private GitLedger.GuardCall stash(Incarnation who, long at, boolean denied) {
        GitLedger.GuardCall c = new GitLedger.GuardCall(who, at, at + 10_000, denied);
        g.guard(c);
        return c;
    }

    @Test
    void gitStashAllowedBesideALiveSessionIsAViolation() throws Exception {
        Path wt = dir.resolve("wt-0");
        a.worktree = wt;
        b.worktree = wt;
        a.instanceId = "claude-a";
        b.instanceId = "claude-b";
        a.registeredAt = T0;
        b.registeredAt = T0 + S;
        stash(a, T0 + 500_000, false); // b not registered yet: allowed is right
        stash(a, T0 + 2 * S, true);
        assertThat(verdict(List.of(a, b))
                        .count("git stash or reset --hard allowed while another live session worked in the worktree"))
                .isZero();
        stash(a, T0 + 3 * S, false);
        RadarVerdict v = verdict(List.of(a, b));
        assertThat(v.count("git stash or reset --hard allowed while another live session worked in the worktree"))
                .isEqualTo(1);
        assertThat(v.count("git stash or reset --hard asked through the Bash guard (hook PreToolUse Bash)"))
                .isEqualTo(3);

        // the same answer is no violation once b was stopped, or declared dead by the servers
        b.paused(T0 + 2_500_000, T0 + 2_600_000);
        assertThat(verdict(List.of(a, b))
                        .count("git stash or reset --hard allowed while another live session worked in the worktree"))
                .isZero();
        Incarnation c = new Incarnation(2, 3, null, 4);
        c.worktree = wt;
        c.instanceId = "claude-c";
        c.registeredAt = T0 + 1_500_000;
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(
                state.resolve("audit.jsonl"),
                "{\"schemaVersion\":1,\"at\":\"" + Instant.ofEpochSecond((T0 + 2 * S) / S)
                        + "\",\"event\":\"reap\",\"instance\":\"claude-c\"}\n");
        assertThat(verdict(List.of(a, b, c))
                        .count("git stash or reset --hard allowed while another live session worked in the worktree"))
                .isZero();
        // in another worktree, or killed before the answer: no violation either
        c.worktree = dir.resolve("wt-1");
        c.killedAt = T0 + 2 * S;
        assertThat(verdict(List.of(a, c))
                        .count("git stash or reset --hard allowed while another live session worked in the worktree"))
                .isZero();
    }

    @Test
    void theSchemaOnTheClassPathIsTheRadarSchema() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RadarWatch.SCHEMA)) {
            assertThat(in).isNotNull();
            @SuppressWarnings("unchecked")
            Map<String, Object> schema = RawServer.JSON.readValue(in, Map.class);
            assertThat(RadarWatch.check("{}".getBytes(), schema, McpJsonDefaults.getSchemaValidator()))
                    .contains("does not match");
        }
    }
}
