package dev.coord.server.it.chaos;

import dev.coord.engine.git.RadarRefresher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The git side of a chaos run, judged from the {@link GitLedger}: the radar's file stays whole and valid, the radar
 * keeps running when the process refreshing it is killed or stopped, it converges to the ground truth after the
 * chaos, coord's git never breaks the sessions' git, and the Bash guard blocks {@code git stash} and {@code git reset --hard} wherever another
 * live session shares the worktree.
 */
final class RadarVerdict {
    /** Must be zero, as {@link ChaosSuite#ZEROES}. */
    static final List<String> ZEROES = List.of(
            "radar.json reads that did not parse or match its schema",
            "radar went without a fresh run for longer than its bound (5 waits + 2 s)",
            "radar overlaps differing from the ground truth after the chaos",
            "sessions' git commands that failed during the chaos",
            "git processes of coord left running after every server stopped",
            "git lock files left (index.lock and others)",
            "worktrees where git status or git commit failed after the chaos",
            "git fsck problems",
            "witness records differing from git's own view of a worktree",
            "git stash or reset --hard allowed while another live session worked in the worktree");

    final Map<String, Long> counts = new LinkedHashMap<>();
    final List<String> details = new ArrayList<>();
    /** Kill of the radar.lock holder to the first result computed after it, ms. */
    final List<Long> takeoverMillis = new ArrayList<>();
    /** The same after a stop (SIGSTOP) of the holder. */
    final List<Long> stopTakeoverMillis = new ArrayList<>();
    /** Gaps between fresh runs inside the windows, ms. */
    final List<Long> gapMillis = new ArrayList<>();

    long count(String key) {
        return counts.getOrDefault(key, 0L);
    }

    private void add(String key, long n) {
        counts.merge(key, n, Long::sum);
    }

    private void detail(String s) {
        if (details.size() < 40) {
            details.add(s);
        }
    }

    static RadarVerdict of(GitLedger g, List<Incarnation> incarnations, Path stateDir) {
        RadarVerdict v = new RadarVerdict();
        v.file(g);
        v.liveness(g);
        v.convergence(g);
        v.git(g);
        v.guard(g, incarnations, reaps(stateDir));
        return v;
    }

    private void file(GitLedger g) {
        List<String> invalid = g.radarInvalid();
        add("radar.json reads", g.radarSamples.get());
        add("radar.json reads that did not parse or match its schema", invalid.size());
        invalid.stream().limit(10).forEach(this::detail);
        add("radar results seen", g.computations().size());
        add("  of which older than the one before (a late writer)", g.radarBackwards.get());
    }

    /**
     * The bound on a gap after a result: five of its waits (the interval, stretched to ten runs, at most a minute:
     * {@code RadarRefresher.MAX_STRETCH}) plus 2 s.
     */
    static long boundMicros(GitLedger.Computation c, long intervalMicros) {
        long stretched = Math.min(10 * c.tookMs() * 1000, RadarRefresher.MAX_STRETCH.toMillis() * 1000);
        long wait = Math.max(intervalMicros, stretched);
        return 5 * wait + 2_000_000;
    }

    private void liveness(GitLedger g) {
        long interval = g.interval.toMillis() * 1000;
        List<GitLedger.Computation> all = g.computations();
        long stalls = 0;
        long[] worst = null;
        for (long[] w : g.windows()) {
            GitLedger.Computation prev = null;
            for (GitLedger.Computation c : all) {
                if (c.computedAt() < w[0] || c.computedAt() > w[1]) {
                    continue;
                }
                if (prev != null && c.computedAt() > prev.computedAt()) {
                    long gap = c.computedAt() - prev.computedAt();
                    gapMillis.add(gap / 1000);
                    if (worst == null || gap > worst[0]) {
                        worst = new long[] {gap, boundMicros(prev, interval)};
                    }
                    if (gap > boundMicros(prev, interval)) {
                        stalls++;
                        detail("RADAR STALLED " + gap / 1000 + " ms after the result of " + prev.computedAt()
                                + " (took " + prev.tookMs() + " ms)");
                    }
                }
                if (prev == null || c.computedAt() > prev.computedAt()) {
                    prev = c;
                }
            }
            if (prev == null && w[1] - w[0] > 10_000_000) {
                stalls++;
                detail("RADAR STALLED: no fresh run in a phase of " + (w[1] - w[0]) / 1000 + " ms");
            }
            if (prev != null && w[1] - prev.computedAt() > boundMicros(prev, interval)) {
                stalls++;
                gapMillis.add((w[1] - prev.computedAt()) / 1000);
                detail("RADAR STALLED: no fresh run in the last " + (w[1] - prev.computedAt()) / 1000
                        + " ms of a phase");
            }
        }
        add("radar went without a fresh run for longer than its bound (5 waits + 2 s)", stalls);
        if (worst != null) {
            detail("longest gap between fresh runs: " + worst[0] / 1000 + " ms, against a bound of " + worst[1] / 1000
                    + " ms");
        }
        long disturbed = 0;
        long stops = 0;
        for (GitLedger.Disturbance d : g.disturbances()) {
            if (d.phase() < 4) {
                continue; // with 2 servers, the one left alone has no radar to run
            }
            disturbed++;
            if (d.kind().equals("stop")) {
                stops++;
            }
            for (GitLedger.Computation c : all) {
                if (c.computedAt() > d.at()) {
                    (d.kind().equals("stop") ? stopTakeoverMillis : takeoverMillis)
                            .add((c.computedAt() - d.at()) / 1000);
                    break;
                }
            }
        }
        add("kills and stops of the process holding radar.lock (phases of 4 and 8)", disturbed);
        add("  of which stops (it keeps radar.lock while stopped)", stops);
    }

    private void convergence(GitLedger g) {
        if (!g.convergenceRun) {
            return;
        }
        add("overlaps expected after the chaos (ground truth)", g.expectedOverlaps);
        add("radar overlaps differing from the ground truth after the chaos", g.convergenceMismatch.size());
        g.convergenceMismatch.stream().limit(10).forEach(m -> detail("RADAR DIFFERS FROM THE TRUTH: " + m));
    }

    private void git(GitLedger g) {
        List<String> failures = g.sessionGitFailures();
        add("sessions' edits", g.sessionEdits.get());
        add("sessions' git commands (add, commit)", g.sessionGitCommands.get());
        add("  commits", g.sessionCommits.get());
        add("sessions' git commands that failed during the chaos", failures.size());
        failures.stream().limit(10).forEach(f -> detail("SESSION GIT FAILED: " + f));
        if (!g.healthChecked) {
            return;
        }
        add("git processes of coord left running after every server stopped", g.leftoverGitProcesses);
        add("git lock files left (index.lock and others)", g.indexLocks);
        long broken =
                g.worktreeGitProblems.stream().filter(p -> p.startsWith("wt-")).count();
        add("worktrees where git status or git commit failed after the chaos", broken);
        g.worktreeGitProblems.stream().limit(10).forEach(this::detail);
        add("git fsck problems", g.fsckProblems.size());
        g.fsckProblems.forEach(this::detail);
        add("temporary git objects left (tmp_obj_*)", g.tmpObjects);
        add("witness records differing from git's own view of a worktree", g.witnessDisagrees.size());
        g.witnessDisagrees.forEach(this::detail);
    }

    /**
     * {@code git stash} or {@code git reset --hard} asked by one session while another worked in the same worktree must be denied. "Worked"
     * without doubt: registered before the call was sent, in the same phase, not killed before the answer came, never
     * stopped, and not declared dead by the servers (no {@code reap} of it on record) before the answer.
     */
    private void guard(GitLedger g, List<Incarnation> incarnations, Map<String, List<Long>> reaps) {
        long asked = 0;
        long denied = 0;
        long violations = 0;
        long deniedAlone = 0;
        for (GitLedger.GuardCall c : g.guardCalls()) {
            asked++;
            if (c.denied()) {
                denied++;
            }
            boolean otherLive = false;
            boolean anyOther = false;
            for (Incarnation o : incarnations) {
                if (o.slot == c.who().slot
                        || o.phase != c.who().phase
                        || o.worktree == null
                        || !o.worktree.equals(c.who().worktree)
                        || o.registeredAt < 0
                        || o.registeredAt >= c.sent()) {
                    continue;
                }
                boolean killed = o.killedAt >= 0 && o.killedAt <= c.answered();
                if (!killed) {
                    anyOther = true;
                }
                boolean stopped = o.pausedSince >= 0 && o.pausedSince <= c.answered();
                for (long[] p : o.pauses()) {
                    stopped |= p[0] <= c.answered();
                }
                boolean reaped = false;
                for (long at : reaps.getOrDefault(o.instanceId, List.of())) {
                    reaped |= at <= c.answered();
                }
                otherLive |= !killed && !stopped && !reaped;
            }
            if (otherLive && !c.denied()) {
                violations++;
                detail("GIT STASH ALLOWED in " + c.who().worktree + " by " + c.who() + " at " + c.sent()
                        + " while another live session worked there");
            }
            if (!anyOther && c.denied()) {
                deniedAlone++;
            }
        }
        add("git stash or reset --hard asked through the Bash guard (hook PreToolUse Bash)", asked);
        add("  denied", denied);
        add("  denied with no other session running there (a dead one not yet reaped)", deniedAlone);
        add("git stash or reset --hard allowed while another live session worked in the worktree", violations);
    }

    /** Reap events of the audit log by instance: when the servers declared an instance dead. */
    static Map<String, List<Long>> reaps(Path stateDir) {
        Map<String, List<Long>> out = new HashMap<>();
        for (String name : List.of("audit.jsonl.1", "audit.jsonl")) {
            Path f = stateDir.resolve(name);
            if (!Files.exists(f)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    try {
                        JsonNode e = RawServer.JSON.readTree(line);
                        if (e.path("event").asString("").equals("reap")) {
                            out.computeIfAbsent(e.path("instance").asString(), k -> new ArrayList<>())
                                    .add(RadarWatch.micros(e.path("at").asString()));
                        }
                    } catch (RuntimeException ex) {
                        // counted by StateCheck
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out;
    }
}
