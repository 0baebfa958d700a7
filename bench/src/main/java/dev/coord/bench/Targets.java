package dev.coord.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures that issue 18's targets name, collected from the scenarios of one run and printed side by side with
 * their targets by the {@code targets} scenario (the last one of {@code all}).
 */
final class Targets {
    private Targets() {}

    /** One target: what is measured, the bound, and whether a figure at or below it (or above it) meets it. */
    record Target(String key, String what, double bound, boolean atMost, String unit) {}

    static final Target[] ALL = {
        new Target(
                "startup.installed", "start to `tools/list`, p50, with the Java the launcher picks", 250, true, "ms"),
        new Target("startup.installed.cpu", "... its CPU time (user + system)", Double.NaN, true, "ms"),
        new Target("startup.jdk17cds", "start to `tools/list`, p50, JDK 17 + AppCDS (`.mcp.json`)", 400, true, "ms"),
        new Target("startup.jdk17cds.cpu", "... its CPU time (user + system)", Double.NaN, true, "ms"),
        new Target(
                "hook.claim",
                "hook call: edit guard on a free file, p50 round trip through stdio (bounds the server-side time)",
                1,
                true,
                "ms"),
        new Target(
                "hook.claim.cpu",
                "server CPU of an edit guard on a free file plus its release_lock (two calls)",
                Double.NaN,
                true,
                "ms"),
        new Target("hook.renew", "hook call: edit guard renewing its claim, p50 (client, stdio)", 1, true, "ms"),
        new Target("hook.activity", "hook call: activity renewal (PostToolUse), p50 (client, stdio)", 1, true, "ms"),
        new Target("hook.activity.cpu", "hook call: activity renewal, server CPU per call", 1, true, "ms"),
        new Target("pair", "acquire + release through stdio, p50", 1, true, "ms"),
        new Target("rss.idle3", "RSS of one session 3 s after `tools/list` (launcher's pick)", Double.NaN, true, "MB"),
        new Target("rss.idle", "idle RSS of one session, settled (12 s after `tools/list`)", 48, true, "MB"),
        new Target(
                "anon.idle",
                "idle anonymous memory of one session (RssAnon): what each extra session adds at least",
                Double.NaN,
                true,
                "MB"),
        new Target(
                "pss.sessions",
                "proportional memory (PSS) of each of 4 idle sessions at once: shared pages split among them",
                Double.NaN,
                true,
                "MB"),
        new Target("rss.decisions", "RSS after 100,000 decisions (bounded; reported)", Double.NaN, true, "MB"),
        new Target(
                "rss.messages",
                "RSS after 100,000 decisions and then 10,000 messages (bounded; reported)",
                Double.NaN,
                true,
                "MB"),
        new Target("rss.messages.idle", "... then 25 s without a call (bounded; reported)", Double.NaN, true, "MB"),
        new Target("contention8", "8 server processes, distinct paths, calls/s in total", 1000, false, "calls/s"),
        new Target(
                "preedit.command",
                "pre-edit path as a command hook: one JVM per edit, wall p50",
                Double.NaN,
                true,
                "ms"),
        new Target("preedit.command.cpu", "pre-edit path as a command hook: CPU per edit", Double.NaN, true, "ms"),
        new Target(
                "preedit.mcp", "pre-edit path as an mcp_tool hook call, p50 (client, stdio)", Double.NaN, true, "ms"),
    };

    private static final Map<String, Double> FIGURES = new LinkedHashMap<>();
    private static final Map<String, String> LOADS = new LinkedHashMap<>();

    static synchronized void put(String key, double value) {
        FIGURES.put(key, value);
        LOADS.put(key, Env.load1());
    }

    static synchronized void report(Env env) {
        StringBuilder md = new StringBuilder("## Targets (issue 18) side by side with this run\n\n");
        md.append("Server launch of the scenarios: `")
                .append(Launch.server(env).shown(env.root))
                .append("`. Load: the 1-minute load average when the figure was taken.\n\n")
                .append("| target | bound | measured | load | |\n|---|---|---|---|---|\n");
        for (Target t : ALL) {
            Double v = FIGURES.get(t.key());
            String bound = Double.isNaN(t.bound())
                    ? "reported"
                    : (t.atMost() ? "≤ " : "≥ ") + Stats.ms(t.bound()) + " " + t.unit();
            String verdict;
            if (v == null || v.isNaN()) {
                verdict = "not measured in this run";
            } else if (Double.isNaN(t.bound())) {
                verdict = "";
            } else {
                verdict = (t.atMost() ? v <= t.bound() : v >= t.bound()) ? "met" : "**missed**";
            }
            md.append("| ")
                    .append(t.what())
                    .append(" | ")
                    .append(bound)
                    .append(" | ")
                    .append(v == null || v.isNaN() ? "-" : Stats.ms(v) + " " + t.unit())
                    .append(" | ")
                    .append(LOADS.getOrDefault(t.key(), ""))
                    .append(" | ")
                    .append(verdict)
                    .append(" |\n");
        }
        md.append(String.format(
                Locale.ROOT,
                "%nScenarios that feed it: startup, hookcalls (also the pre-edit path both ways), roundtrip, memory,"
                        + " scale, bounded, contention. `bench/run.sh targets` runs them with short settings.%n"));
        env.report(md.toString());
    }
}
