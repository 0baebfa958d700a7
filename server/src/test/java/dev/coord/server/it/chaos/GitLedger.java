package dev.coord.server.it.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The witness's records of the git side of a chaos run: what the sessions' own git did ({@link GitWorkload}), what
 * {@code radar.json} looked like over time ({@link RadarWatch}), which processes holding {@code radar.lock} were
 * disturbed, what the Bash guard answered, and the checks after the chaos. Judged by {@link RadarVerdict}.
 */
final class GitLedger {
    /** One distinct radar result seen in {@code radar.json}: when it was first seen, when it was computed. */
    record Computation(long seenAt, long computedAt, long tookMs) {}

    /** A kill or pause of the process that held {@code radar.lock} at that moment. */
    record Disturbance(long at, String kind, long pid, int phase) {}

    /** {@code git stash} asked through the Bash guard by {@code who} in its worktree. */
    record GuardCall(Incarnation who, long sent, long answered, boolean denied) {}

    /** The radar's interval in the run. */
    volatile Duration interval = Duration.ofSeconds(1);

    final AtomicLong radarSamples = new AtomicLong();
    final List<String> radarInvalid = new ArrayList<>();
    final List<Computation> computations = new ArrayList<>();
    final AtomicLong radarBackwards = new AtomicLong();
    /** Stretches of the run where at least two sessions ran undisturbed (phases of 4 and 8): {from, to}. */
    final List<long[]> windows = new ArrayList<>();

    final List<Disturbance> disturbances = new ArrayList<>();
    final List<GuardCall> guardCalls = new ArrayList<>();

    final AtomicLong sessionGitCommands = new AtomicLong();
    final AtomicLong sessionEdits = new AtomicLong();
    final AtomicLong sessionCommits = new AtomicLong();
    final List<String> sessionGitFailures = new ArrayList<>();

    /** Milliseconds from the last start to the radar (file and every status) matching the truth; -1 never. */
    volatile long convergedMillis = -1;

    volatile boolean convergenceRun;
    volatile int expectedOverlaps;
    final List<String> convergenceMismatch = new ArrayList<>();

    volatile boolean healthChecked;
    volatile int leftoverGitProcesses;
    volatile int indexLocks;
    volatile int tmpObjects;
    final List<String> worktreeGitProblems = new ArrayList<>();
    final List<String> fsckProblems = new ArrayList<>();
    final List<String> witnessDisagrees = new ArrayList<>();

    synchronized void invalid(String what) {
        radarInvalid.add(what);
    }

    synchronized void computation(Computation c) {
        computations.add(c);
    }

    synchronized void window(long from, long to) {
        windows.add(new long[] {from, to});
    }

    synchronized void disturbed(Disturbance d) {
        disturbances.add(d);
    }

    synchronized void guard(GuardCall g) {
        guardCalls.add(g);
    }

    synchronized void gitFailure(String what) {
        sessionGitFailures.add(what);
    }

    synchronized List<Computation> computations() {
        return List.copyOf(computations);
    }

    synchronized List<long[]> windows() {
        return List.copyOf(windows);
    }

    synchronized List<Disturbance> disturbances() {
        return List.copyOf(disturbances);
    }

    synchronized List<GuardCall> guardCalls() {
        return List.copyOf(guardCalls);
    }

    synchronized List<String> radarInvalid() {
        return List.copyOf(radarInvalid);
    }

    synchronized List<String> sessionGitFailures() {
        return List.copyOf(sessionGitFailures);
    }
}
