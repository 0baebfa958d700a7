package dev.coord.server.it.chaos;

import java.util.Map;

/** The git and radar section of the chaos report. */
final class RadarReport {
    private RadarReport() {}

    static String markdown(RadarVerdict rv, GitLedger g, GitWorkload git) {
        StringBuilder md = new StringBuilder();
        md.append("\n## Git and the overlap radar\n\n");
        md.append("- ")
                .append(git.worktrees.size())
                .append(" linked worktrees, slot K in worktree K mod ")
                .append(git.worktrees.size())
                .append(" (2 servers: apart; 4 and 8: some share one); radar every ")
                .append(g.interval.toMillis())
                .append(" ms\n");
        for (Map.Entry<String, String> e : git.summary().entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        md.append("\n| figure | value |\n|---|---:|\n");
        for (Map.Entry<String, Long> c : rv.counts.entrySet()) {
            md.append("| ")
                    .append(c.getKey())
                    .append(" | ")
                    .append(c.getValue())
                    .append(" |\n");
        }
        md.append("\nGaps between fresh radar runs while at least two sessions ran (phases of 4 and 8): ")
                .append(line(rv.gapMillis));
        md.append("\n\nSIGKILL of the process holding radar.lock to the next result computed after it: ")
                .append(line(rv.takeoverMillis));
        md.append("\n\nSIGSTOP of the process holding radar.lock (stopped 10.5 to 12 s) to the next result computed"
                        + " after it: ")
                .append(line(rv.stopTakeoverMillis));
        md.append("\n\nAfter the chaos, the radar matched the ground truth (radar.json and every status) ")
                .append(g.convergedMillis < 0 ? "NEVER" : "after " + g.convergedMillis + " ms")
                .append(" (one fresh server per worktree; the radar's first run waits 2 s).\n");
        if (!rv.details.isEmpty()) {
            md.append("\nDetails:\n\n");
            rv.details.forEach(d -> md.append("- ").append(d).append('\n'));
        }
        return md.toString();
    }

    private static String line(java.util.List<Long> ms) {
        if (ms.isEmpty()) {
            return "no sample";
        }
        return ms.size() + " samples, p50 " + Verdict.percentile(ms, 50) + " ms, p99 " + Verdict.percentile(ms, 99)
                + " ms, max " + Verdict.percentile(ms, 100) + " ms";
    }
}
