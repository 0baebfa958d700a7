package dev.coord.server.it.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The whole chaos run: phases of 2, 4 and 8 servers, crash trials, a fresh start, the checks and the report. */
public final class ChaosSuite {
    private ChaosSuite() {}

    /** What the test asserts, and where the report is. */
    public record Result(List<String> failures, long grants, long editClaims, long kills, long pauses, Path report) {}

    /** Must be zero. */
    static final List<String> ZEROES = List.of(
            "violations (overlap with no takeover recorded)",
            "  violations involving an edit claim (conflicting holders)",
            "edit claims with no claim event in the audit log",
            "stale-token operations accepted",
            "releases refused with no void, expire or force on record (a lock lost with no cause)",
            "missions claimed twice (two live winners)",
            "finishes refused without a takeover (a claim lost with no cause)",
            "missions lost (in no folder, or done but not in done/)",
            "missions in two folders",
            "decisions lost",
            "decisions duplicated (an id twice in the log or acknowledged twice)",
            MessageCounts.LOST,
            MessageCounts.DUPLICATED,
            MessageCounts.READ_TWICE,
            "corrupt state files",
            "temp files left after the next start",
            "problems reported by status after the next start");

    public static Result run(Path jar, Path out, long seconds) throws Exception {
        Files.createDirectories(out);
        Path base = Files.createTempDirectory(out, "run-");
        Path repo = Files.createDirectories(base.resolve("repo"));
        // the servers of a long run keep starting: give them a copy that a rebuild cannot replace under them
        jar = Files.copy(jar, base.resolve("coord.jar"));
        Path logs = Files.createDirectories(base.resolve("logs"));
        Duration ttl = Duration.ofSeconds(10); // the shortest lease the server accepts
        ChaosRun.Settings settings = new ChaosRun.Settings(
                jar, repo, logs, ttl, Duration.ofSeconds(1), Duration.ofSeconds(4), 120_000, 1_500, 3_000);
        Ledger ledger = new Ledger();
        ChaosRun.prepare(repo, 12, ledger);
        Path stateDir = repo.resolve(".claude/coordination");
        GitWorkload git = GitWorkload.prepare(repo, base, 3, ledger.git);
        RadarWatch radarWatch = new RadarWatch(stateDir, ledger.git);
        ChaosRun run = new ChaosRun(settings, ledger);
        run.useGit(git, radarWatch);
        git.start();
        radarWatch.start();
        Instant started = Instant.now();
        long totalMillis = seconds * 1000;
        int[] sizes = {2, 4, 8};
        int[] weights = {5, 6, 7};
        List<String> phases = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            long millis = totalMillis * weights[i] / 18;
            Instant t0 = Instant.now();
            run.phase(sizes[i], millis);
            phases.add(sizes[i] + " servers: " + millis / 1000 + " s of chaos, "
                    + Duration.between(t0, Instant.now()).toSeconds() + " s with start and stop");
        }
        int trials = (int) Math.max(4, seconds / 20);
        run.crashTrials(trials);
        git.stop();
        radarWatch.stop();
        git.crossCheck();
        RadarConvergence.run(run, git, stateDir, ledger.git);
        JsonNode status = run.freshStart();
        git.healthCheck(base);
        long wallSeconds = Duration.between(started, Instant.now()).toSeconds();

        Path missions = repo.resolve("missions");
        StateCheck check = StateCheck.of(
                stateDir, List.of(missions.resolve("queue"), missions.resolve("active"), missions.resolve("done")));
        Verdict v = Verdict.of(ledger, stateDir, missions, ttl);
        v.counts.put("state documents checked (json, jsonl)", (long) check.documents);
        v.counts.put("  jsonl lines checked", (long) check.lines);
        v.counts.put("corrupt state files", (long) check.corrupt());
        v.counts.put("temp files left after the next start", (long) check.tempFiles);
        v.counts.put("problems reported by status after the next start", (long)
                status.path("problems").size());

        List<String> failures = new ArrayList<>();
        for (String key : ZEROES) {
            if (v.count(key) != 0) {
                failures.add(key + ": " + v.count(key));
            }
        }
        RadarVerdict rv = RadarVerdict.of(ledger.git, ledger.incarnations(), stateDir);
        for (String key : RadarVerdict.ZEROES) {
            if (rv.count(key) != 0) {
                failures.add(key + ": " + rv.count(key));
            }
        }
        if (rv.count("radar results seen") == 0) {
            failures.add("radar.json never showed a result: the radar did not run");
        }
        if (ledger.git.convergedMillis < 0) {
            failures.add("the radar did not converge to the ground truth within "
                    + RadarConvergence.DEADLINE_MILLIS / 1000 + " s");
        }
        failures.addAll(check.problems);
        for (JsonNode p : status.path("problems")) {
            failures.add("status problem: " + p);
        }
        Path report = out.resolve("chaos-report.md");
        Files.writeString(
                report,
                markdown(seconds, wallSeconds, trials, settings, phases, ledger, v, check, status)
                        + RadarReport.markdown(rv, ledger.git, git));
        Files.writeString(base.resolve("chaos-report.md"), Files.readString(report));
        System.out.println(Files.readString(report));
        return new Result(
                failures,
                v.count("critical sections (grants)"),
                v.count("  of which edit claims (hook PreToolUse)"),
                ledger.kills.get(),
                ledger.pauses.get(),
                report);
    }

    private static String markdown(
            long seconds,
            long wallSeconds,
            int trials,
            ChaosRun.Settings s,
            List<String> phases,
            Ledger ledger,
            Verdict v,
            StateCheck check,
            JsonNode status)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Chaos run ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append("\n\n");
        md.append("- chaos.seconds = ")
                .append(seconds)
                .append(", wall time ")
                .append(wallSeconds)
                .append(" s; lease ")
                .append(s.ttl().toSeconds())
                .append(" s, heartbeat ")
                .append(s.heartbeat().toMillis())
                .append(" ms, stale after ")
                .append(s.staleAfter().toMillis())
                .append(" ms; pauses of lease + 0.5 to 2 s\n");
        for (String p : phases) {
            md.append("- ").append(p).append('\n');
        }
        md.append("- crash-during-write trials: ").append(trials).append('\n');
        md.append("- machine: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average at the end ")
                .append(loadAverage())
                .append("\n\n");
        md.append("| figure | value |\n|---|---:|\n");
        md.append("| server processes started (incl. replacements) | ")
                .append(ledger.incarnations().size())
                .append(" |\n");
        md.append("| acquire_lock calls | ").append(ledger.acquireCalls.get()).append(" |\n");
        md.append("| acquire_lock answered acquired: false (wait ran out) | ")
                .append(ledger.contended.get())
                .append(" |\n");
        md.append("| SIGKILLs | ").append(ledger.kills.get()).append(" |\n");
        md.append("| replacements started | ").append(ledger.replacements.get()).append(" |\n");
        md.append("| SIGSTOP/SIGCONT pauses | ").append(ledger.pauses.get()).append(" |\n");
        md.append("| of which longer than the lease | ")
                .append(ledger.pausesLongerThanLease.get())
                .append(" |\n");
        md.append("| of which ended early by a peer's SIGCONT (stopped inside the mutex) | ")
                .append(ledger.pausesEndedByPeer.get())
                .append(" |\n");
        for (Map.Entry<String, Long> c : v.counts.entrySet()) {
            md.append("| ")
                    .append(c.getKey())
                    .append(" | ")
                    .append(c.getValue())
                    .append(" |\n");
        }
        md.append("\nGrants per phase: ");
        for (Map.Entry<Integer, long[]> p : v.perPhase.entrySet()) {
            md.append(p.getKey() == 0 ? "crash trials" : p.getKey() + " servers")
                    .append(" ")
                    .append(p.getValue()[0])
                    .append("; ");
        }
        md.append("\n\nTakeover after SIGKILL of a holder (SIGKILL to the next grant of a conflicting lock to another "
                + "process): ");
        md.append(takeoverLine(v.killTakeoverMillis));
        md.append("\n\nThe same for the killed holder's edit claims (hook PreToolUse, ")
                .append(ledger.editCalls.get())
                .append(" edits asked, ")
                .append(ledger.editDenied.get())
                .append(" denied): ");
        md.append(takeoverLine(v.claimKillTakeoverMillis));
        md.append("\n\nTakeover after SIGSTOP of a holder (stop to the next conflicting grant; the stopped process is "
                + "declared dead after the stale timeout): ");
        md.append(takeoverLine(v.pauseTakeoverMillis));
        md.append("\n\nCalls on a running server that took longer than the stale timeout: ");
        md.append(takeoverLine(v.stallMillis));
        md.append("\n");
        if (!ledger.unexpected.isEmpty()) {
            md.append("\nUnexpected answers (not safety properties):\n\n");
            ledger.unexpected.forEach(
                    (k, n) -> md.append("- ").append(n).append(" × ").append(k).append('\n'));
        }
        if (!check.problems.isEmpty() || !v.details.isEmpty()) {
            md.append("\nDetails:\n\n");
            check.problems.forEach(p -> md.append("- ").append(p).append('\n'));
            v.details.forEach(p -> md.append("- ").append(p).append('\n'));
        }
        if (status.path("problems").size() > 0) {
            md.append("\nstatus problems: ").append(status.path("problems")).append('\n');
        }
        return md.toString();
    }

    private static String takeoverLine(List<Long> ms) {
        if (ms.isEmpty()) {
            return "no sample";
        }
        return ms.size() + " samples, p50 " + Verdict.percentile(ms, 50) + " ms, p99 " + Verdict.percentile(ms, 99)
                + " ms, max " + Verdict.percentile(ms, 100) + " ms";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
