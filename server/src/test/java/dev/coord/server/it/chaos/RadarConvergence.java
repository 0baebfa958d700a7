package dev.coord.server.it.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * After the chaos: one fresh server per worktree, and the radar must converge to the ground truth the editors kept
 * ({@link GitWorkload#expectedOverlaps}), both in {@code radar.json} and in every server's {@code status}, within a
 * minute; the time it took is recorded, and what still differed at the deadline is a finding.
 */
final class RadarConvergence {
    static final long DEADLINE_MILLIS = 60_000;

    private RadarConvergence() {}

    static void run(ChaosRun run, GitWorkload git, Path stateDir, GitLedger ledger) throws Exception {
        run.phaseNumber(-2);
        List<Incarnation> servers = new ArrayList<>();
        try {
            Map<String, Integer> sessions = new LinkedHashMap<>();
            for (int k = 0; k < git.worktrees.size(); k++) {
                Incarnation inc = run.launch(300 + k);
                servers.add(inc);
                sessions.put(inc.instanceId, k);
            }
            long t0 = System.currentTimeMillis();
            Set<String> expected = git.expectedOverlaps(sessions);
            ledger.convergenceRun = true;
            ledger.expectedOverlaps = expected.size();
            List<String> differences = List.of("nothing read yet");
            while (System.currentTimeMillis() - t0 < DEADLINE_MILLIS) {
                differences = differences(expected, sessions, git, stateDir, servers);
                if (differences.isEmpty()) {
                    ledger.convergedMillis = System.currentTimeMillis() - t0;
                    return;
                }
                Thread.sleep(250);
            }
            synchronized (ledger) {
                ledger.convergenceMismatch.addAll(differences);
            }
        } finally {
            for (Incarnation inc : servers) {
                inc.server.close(20_000);
            }
        }
    }

    /** What radar.json and each server's status say that the truth does not, and the other way round. */
    static List<String> differences(
            Set<String> expected,
            Map<String, Integer> sessions,
            GitWorkload git,
            Path stateDir,
            List<Incarnation> servers)
            throws IOException {
        List<String> out = new ArrayList<>();
        JsonNode doc;
        try {
            doc = RawServer.JSON.readTree(Files.readAllBytes(stateDir.resolve("radar.json")));
        } catch (NoSuchFileException e) {
            return List.of("no radar.json");
        }
        Map<String, Integer> inputs = new LinkedHashMap<>();
        doc.path("sessions")
                .properties()
                .forEach(e -> inputs.put(e.getKey(), git.indexOf(e.getValue().asString())));
        if (!inputs.equals(sessions)) {
            out.add("radar.json was computed for " + inputs + ", the live sessions are " + sessions);
            return out;
        }
        Set<String> got = new TreeSet<>();
        for (JsonNode o : doc.path("overlaps")) {
            got.add(o.path("path").asString() + " " + o.path("a").asString() + " "
                    + o.path("b").asString() + " "
                    + (o.has("conflict") ? o.path("conflict").asString() : "null"));
        }
        diff("radar.json", expected, got, out);
        for (Incarnation inc : servers) {
            Set<String> mine = new TreeSet<>();
            for (String e : expected) {
                String[] f = e.split(" ");
                String conflict = f[3].equals("null") ? "unknown" : f[3];
                if (f[1].equals(inc.instanceId)) {
                    mine.add(f[0] + " " + f[2] + " " + conflict);
                } else if (f[2].equals(inc.instanceId)) {
                    mine.add(f[0] + " " + f[1] + " " + conflict);
                }
            }
            JsonNode st = inc.server.call("status", Map.of(), 60_000).path("structuredContent");
            Set<String> said = new TreeSet<>();
            for (JsonNode o : st.path("overlaps")) {
                said.add(o.path("path").asString() + " " + o.path("with").asString() + " "
                        + o.path("conflict").asString());
            }
            diff("status of " + inc.instanceId, mine, said, out);
        }
        return out;
    }

    private static void diff(String where, Set<String> expected, Set<String> got, List<String> out) {
        for (String e : expected) {
            if (!got.contains(e)) {
                out.add(where + " misses " + e);
            }
        }
        for (String g : got) {
            if (!expected.contains(g)) {
                out.add(where + " has " + g + " that the truth has not");
            }
        }
    }
}
