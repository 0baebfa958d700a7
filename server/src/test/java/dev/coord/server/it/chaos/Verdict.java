package dev.coord.server.it.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * What the witness's records, the audit log, the decision log and the files on disk say after a chaos run, counted.
 *
 * <p>An overlap of two conflicting holders is a takeover, not a violation, when the earlier holder's lock (the lower
 * fencing token) had been taken from it by the server before the later grant: voided with its dead instance,
 * expired, or force-released, as {@code audit.jsonl} records. Every other overlap is a violation. A holder that was
 * taken over must see its later release refused; so must a holder whose process was stopped, after its grant and
 * before its release was sent, for longer than the lease. An accepted one is a stale-token operation accepted.
 */
final class Verdict {
    /** Clock slack between the witness and the servers' wall clocks (same machine). */
    static final long SLACK_MICROS = 50_000;

    final Map<String, Long> counts = new LinkedHashMap<>();
    final List<String> details = new ArrayList<>();
    final List<Long> killTakeoverMillis = new ArrayList<>();
    /** Kill to the first conflicting grant to another process, for the killed process's edit claims. */
    final List<Long> claimKillTakeoverMillis = new ArrayList<>();

    final List<Long> pauseTakeoverMillis = new ArrayList<>();
    final Map<Integer, long[]> perPhase = new TreeMap<>();

    record AuditEnd(long at, String event) {}

    static Verdict of(Ledger ledger, Path stateDir, Path missions, Duration ttl) {
        Verdict v = new Verdict();
        Map<Long, AuditEnd> ends = new HashMap<>();
        Map<String, List<Long>> reaps = new HashMap<>();
        Map<String, List<Long>> missionTakeovers = new HashMap<>();
        Map<String, List<long[]>> claimGrants = new HashMap<>();
        v.readAudit(stateDir, ends, reaps, missionTakeovers, claimGrants);
        v.claimTokens(ledger, claimGrants);
        v.locks(ledger, ends, ttl);
        v.missions(ledger, reaps, missionTakeovers, missions);
        v.decisions(ledger, stateDir);
        MessageCounts.count(v, ledger, stateDir);
        v.takeovers(ledger);
        v.stalls(ledger);
        return v;
    }

    long count(String key) {
        return counts.getOrDefault(key, 0L);
    }

    private void add(String key, long n) {
        counts.merge(key, n, Long::sum);
    }

    private void readAudit(
            Path dir,
            Map<Long, AuditEnd> ends,
            Map<String, List<Long>> reaps,
            Map<String, List<Long>> takeovers,
            Map<String, List<long[]>> claimGrants) {
        for (String name : List.of("audit.jsonl.1", "audit.jsonl")) {
            Path f = dir.resolve(name);
            if (!Files.exists(f)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    JsonNode e;
                    try {
                        e = RawServer.JSON.readTree(line);
                    } catch (RuntimeException ex) {
                        continue;
                    }
                    String event = e.path("event").asString("");
                    long at = micros(e.path("at").asString());
                    switch (event) {
                        case "void", "expire", "force", "release" ->
                            ends.merge(
                                    e.path("token").asLong(),
                                    new AuditEnd(at, event),
                                    (a, b) -> a.at() <= b.at() ? a : b);
                        case "claim" ->
                            claimGrants
                                    .computeIfAbsent(
                                            e.path("instance").asString() + "|"
                                                    + e.path("path").asString(),
                                            k -> new ArrayList<>())
                                    .add(new long[] {at, e.path("token").asLong()});
                        case "reap" ->
                            reaps.computeIfAbsent(e.path("instance").asString(), k -> new ArrayList<>())
                                    .add(at);
                        case "mission_takeover" ->
                            takeovers
                                    .computeIfAbsent(
                                            e.path("details").path("mission").asString() + "|"
                                                    + e.path("details")
                                                            .path("from")
                                                            .asString(),
                                            k -> new ArrayList<>())
                                    .add(at);
                        default -> {}
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /**
     * An edit claim's token, when its release did not bring it back (killed, paused, refused): the last {@code claim}
     * event of its holder on its path before its grant arrived. Unresolved ones keep 0 and are counted.
     */
    private void claimTokens(Ledger ledger, Map<String, List<long[]>> claimGrants) {
        long unresolved = 0;
        for (Ledger.Hold h : ledger.holds()) {
            if (!h.edit || h.token != 0) {
                continue;
            }
            long best = -1;
            long at = Long.MIN_VALUE;
            for (long[] g : claimGrants.getOrDefault(h.who.instanceId + "|" + h.path, List.of())) {
                if (g[0] <= h.grantedAt + SLACK_MICROS && g[0] >= at) {
                    at = g[0];
                    best = g[1];
                }
            }
            if (best > 0) {
                h.token = best;
            } else {
                unresolved++;
                details.add("edit claim with no claim event in the audit log: " + h);
            }
        }
        add("edit claims with no claim event in the audit log", unresolved);
    }

    private static long micros(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }

    static boolean keysOverlap(String a, String b) {
        return a.equals(b) || (a.endsWith("/") && b.startsWith(a)) || (b.endsWith("/") && a.startsWith(b));
    }

    static boolean conflict(Ledger.Hold a, Ledger.Hold b) {
        return keysOverlap(a.path, b.path) && (a.mode.equals("exclusive") || b.mode.equals("exclusive"));
    }

    private static boolean pausedBetween(Incarnation who, long from, long to) {
        for (long[] p : who.pauses()) {
            if (p[0] >= from && p[0] <= to) {
                return true;
            }
        }
        return false;
    }

    private void locks(Ledger ledger, Map<Long, AuditEnd> ends, Duration ttl) {
        List<Ledger.Hold> holds = new ArrayList<>(ledger.holds());
        holds.sort(Comparator.comparingLong(h -> h.grantedAt));
        add("critical sections (grants)", holds.size());
        add(
                "  of which edit claims (hook PreToolUse)",
                holds.stream().filter(h -> h.edit).count());
        for (Ledger.Hold h : holds) {
            perPhase.computeIfAbsent(h.who.phase, k -> new long[1])[0]++;
        }
        List<Ledger.Hold> active = new ArrayList<>();
        long overlaps = 0;
        long violations = 0;
        long editOverlaps = 0;
        long editViolations = 0;
        long takeoverPaused = 0;
        long takeoverOther = 0;
        long staleAccepted = 0;
        java.util.Set<Ledger.Hold> takenOver = new java.util.HashSet<>();
        for (Ledger.Hold h : holds) {
            active.removeIf(a -> a.believedUntil() <= h.grantedAt);
            for (Ledger.Hold a : active) {
                if (a.who == h.who || !conflict(a, h)) {
                    continue;
                }
                overlaps++;
                boolean edit = a.edit || h.edit;
                if (edit) {
                    editOverlaps++;
                }
                Ledger.Hold early = a.token < h.token ? a : h;
                Ledger.Hold late = early == a ? h : a;
                AuditEnd end = ends.get(early.token);
                boolean takenAway =
                        end != null && !end.event().equals("release") && end.at() <= late.grantedAt + SLACK_MICROS;
                if (!takenAway) {
                    violations++;
                    if (edit) {
                        editViolations++;
                    }
                    if (details.size() < 50) {
                        details.add("VIOLATION: " + early + " overlaps " + late + "; audit end of the earlier: " + end);
                    }
                    continue;
                }
                if (!takenOver.add(early)) {
                    continue; // counted with its first taker
                }
                if (pausedBetween(early.who, early.requestedAt, late.grantedAt)) {
                    takeoverPaused++;
                } else {
                    takeoverOther++;
                    if (details.size() < 50) {
                        details.add(
                                "takeover without an injected pause (" + end.event() + "): " + early + " / " + late);
                    }
                }
                // a status sent after the server had taken the lock away must not call it yours
                if (early.statusYours && early.statusSentAt > end.at() + SLACK_MICROS) {
                    staleAccepted++;
                    if (details.size() < 50) {
                        details.add("STATUS SAID YOURS after takeover: " + early);
                    }
                }
                if (early.answer == Ledger.Answer.ACCEPTED) {
                    staleAccepted++;
                    if (details.size() < 50) {
                        details.add("STALE RELEASE ACCEPTED after takeover: " + early);
                    }
                }
            }
            active.add(h);
        }
        // releases sent after the holder's process had been stopped longer than the lease
        long pausedReleases = 0;
        long pausedReleasesAccepted = 0;
        Map<String, Long> refusals = new TreeMap<>();
        for (Ledger.Hold h : holds) {
            for (long[] p : h.who.pauses()) {
                if (p[0] >= h.grantedAt && p[0] <= h.endAt && (p[1] - p[0]) > ttl.toMillis() * 1000) {
                    if (h.statusYours && h.statusSentAt >= p[0] && h.statusSentAt <= p[1]) {
                        pausedReleasesAccepted++;
                        if (details.size() < 50) {
                            details.add("STATUS SAID YOURS after a pause longer than the lease: " + h);
                        }
                    }
                    if (h.answer == Ledger.Answer.NO_ANSWER) {
                        continue;
                    }
                    pausedReleases++;
                    if (h.answer == Ledger.Answer.ACCEPTED) {
                        pausedReleasesAccepted++;
                        if (details.size() < 50) {
                            details.add("STALE RELEASE ACCEPTED after a pause longer than the lease: " + h);
                        }
                    } else {
                        refusals.merge(h.answerCode, 1L, Long::sum);
                    }
                    break;
                }
            }
        }
        // a refused release must have a cause on record: the lock was voided, expired or force-released
        long lostWithoutCause = 0;
        for (Ledger.Hold h : holds) {
            if (h.answer == Ledger.Answer.REJECTED) {
                AuditEnd end = ends.get(h.token);
                if (end == null || end.event().equals("release")) {
                    lostWithoutCause++;
                    if (details.size() < 50) {
                        details.add("release refused with no recorded cause: " + h + "; audit end " + end);
                    }
                }
            }
        }
        add("releases refused with no void, expire or force on record (a lock lost with no cause)", lostWithoutCause);
        add("conflicting overlaps seen by the witness (pairs of holders)", overlaps);
        add("locks taken over while their holder still believed it held them", takenOver.size());
        add("  of which from a SIGSTOPped holder", takeoverPaused);
        add("  of which from a holder declared dead or expired without an injected pause", takeoverOther);
        add("violations (overlap with no takeover recorded)", violations);
        add("  conflicting overlaps involving an edit claim", editOverlaps);
        add("  violations involving an edit claim (conflicting holders)", editViolations);
        add("releases sent by a holder stopped longer than the lease", pausedReleases);
        for (Map.Entry<String, Long> r : refusals.entrySet()) {
            add("  refused with " + r.getKey(), r.getValue());
        }
        add("stale-token operations accepted", staleAccepted + pausedReleasesAccepted);
    }

    private void missions(
            Ledger ledger, Map<String, List<Long>> reaps, Map<String, List<Long>> takeovers, Path missions) {
        List<Ledger.Claim> claims = new ArrayList<>(ledger.claims());
        claims.sort(Comparator.comparingLong(c -> c.claimedAt));
        add("missions claimed", claims.size());
        add(
                "  of which takeovers of a stranded mission",
                claims.stream().filter(c -> c.takeover).count());
        long twice = 0;
        long staleFinish = 0;
        Map<String, List<Ledger.Claim>> active = new HashMap<>();
        java.util.Set<Ledger.Claim> takenOver = new java.util.HashSet<>();
        for (Ledger.Claim c : claims) {
            List<Ledger.Claim> list = active.computeIfAbsent(c.missionId, k -> new ArrayList<>());
            list.removeIf(a -> a.believedUntil() <= c.claimedAt);
            for (Ledger.Claim a : list) {
                if (a.who == c.who) {
                    continue;
                }
                boolean excused = (c.takeover && reapedBefore(reaps, a.who, c.claimedAt))
                        || (a.takeover && reapedBefore(reaps, c.who, a.claimedAt));
                if (!excused) {
                    twice++;
                    if (details.size() < 50) {
                        details.add("MISSION CLAIMED TWICE: " + a + " / " + c);
                    }
                    continue;
                }
                Ledger.Claim loser = c.takeover ? a : c;
                takenOver.add(loser);
                if (loser.answer == Ledger.Answer.ACCEPTED) {
                    staleFinish++;
                    if (details.size() < 50) {
                        details.add("STALE FINISH ACCEPTED after takeover: " + loser);
                    }
                }
            }
            list.add(c);
        }
        long refusedWithoutTakeover = 0;
        for (Ledger.Claim c : claims) {
            // a finish sent into a stopped server is refused after its mission was taken over meanwhile
            boolean takenLater = takeovers.getOrDefault(c.missionId + "|" + c.who.instanceId, List.of()).stream()
                    .anyMatch(at -> at >= c.claimedAt - SLACK_MICROS);
            if (c.answer == Ledger.Answer.REJECTED && !takenOver.contains(c) && !takenLater) {
                refusedWithoutTakeover++;
                if (details.size() < 50) {
                    details.add("finish refused without a takeover: " + c);
                }
            }
        }
        add("missions claimed twice (two live winners)", twice);
        add("finishes refused without a takeover (a claim lost with no cause)", refusedWithoutTakeover);
        add("stale-token operations accepted", staleFinish);
        // every mission ever queued is in exactly one folder; every acknowledged completion is in done/
        long lost = 0;
        long duplicated = 0;
        Map<String, String> where = new HashMap<>();
        for (String folder : List.of("queue", "active", "done")) {
            try (var files = Files.list(missions.resolve(folder))) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".md")) {
                        String id = name.substring(0, name.length() - 3);
                        if (where.put(id, folder) != null) {
                            duplicated++;
                            details.add("MISSION IN TWO FOLDERS: " + id);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<String> created;
        List<String> done;
        synchronized (ledger) {
            created = List.copyOf(ledger.missionsCreated);
            done = List.copyOf(ledger.missionsDone);
        }
        for (String id : created) {
            if (!where.containsKey(id)) {
                lost++;
                details.add("MISSION LOST: " + id);
            }
        }
        for (String id : done) {
            if (!"done".equals(where.get(id))) {
                lost++;
                details.add("MISSION ACKNOWLEDGED DONE BUT IN " + where.get(id) + ": " + id);
            }
        }
        add("missions queued in all", created.size());
        add("missions finished as done (acknowledged)", done.size());
        add("missions lost (in no folder, or done but not in done/)", lost);
        add("missions in two folders", duplicated);
        add(
                "missions stranded at the end (claimer killed)",
                where.values().stream().filter("active"::equals).count());
    }

    private static boolean reapedBefore(Map<String, List<Long>> reaps, Incarnation who, long at) {
        for (long r : reaps.getOrDefault(who.instanceId, List.of())) {
            if (r <= at + SLACK_MICROS) {
                return true;
            }
        }
        return false;
    }

    private void decisions(Ledger ledger, Path stateDir) {
        Map<String, Integer> inLog = new HashMap<>();
        Path f = stateDir.resolve("decisions.jsonl");
        try {
            if (Files.exists(f)) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    try {
                        inLog.merge(RawServer.JSON.readTree(line).path("id").asString(""), 1, Integer::sum);
                    } catch (RuntimeException e) {
                        // counted as corrupt by StateCheck
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long lost = 0;
        long dupAck = 0;
        for (var e : ledger.decisions.entrySet()) {
            if (!inLog.containsKey(e.getKey())) {
                lost++;
                details.add("DECISION LOST: " + e.getKey());
            }
            if (e.getValue().get() > 1) {
                dupAck++;
                details.add("DECISION ID ACKNOWLEDGED TWICE: " + e.getKey());
            }
        }
        long dupLog = inLog.values().stream().filter(n -> n > 1).count();
        add("decisions acknowledged", ledger.decisions.size());
        add("decisions in the log", inLog.size());
        add("decisions lost", lost);
        add("decisions duplicated (an id twice in the log or acknowledged twice)", dupLog + dupAck);
    }

    private void takeovers(Ledger ledger) {
        List<Ledger.Hold> holds = new ArrayList<>(ledger.holds());
        holds.sort(Comparator.comparingLong(h -> h.grantedAt));
        for (Incarnation inc : ledger.incarnations()) {
            if (inc.killedAt >= 0 && inc.phase > 0) {
                long k = inc.killedAt;
                java.util.function.Predicate<Ledger.Hold> heldAtKill =
                        h -> h.grantedAt <= k && (h.endAt > k || h.answer == Ledger.Answer.NO_ANSWER);
                long best = firstTakeover(holds, inc, k, heldAtKill.and(h -> !h.edit));
                if (best >= 0) {
                    killTakeoverMillis.add(best / 1000);
                }
                long claimBest = firstTakeover(holds, inc, k, heldAtKill.and(h -> h.edit));
                if (claimBest >= 0) {
                    claimKillTakeoverMillis.add(claimBest / 1000);
                }
            }
            for (long[] p : inc.pauses()) {
                long best = firstTakeover(holds, inc, p[0], h -> h.grantedAt <= p[0] && h.endAt > p[0]);
                if (best >= 0) {
                    pauseTakeoverMillis.add(best / 1000);
                }
            }
        }
    }

    final List<Long> stallMillis = new ArrayList<>();

    /** Calls that waited longer than the stale timeout on a running server, and whether another process was paused. */
    private void stalls(Ledger ledger) {
        long withPause = 0;
        List<Incarnation> all = ledger.incarnations();
        for (long[] s : ledger.stalls()) {
            stallMillis.add((s[1] - s[0]) / 1000);
            for (Incarnation i : all) {
                if (i.pausedDuring(s[0], s[1])) {
                    withPause++;
                    break;
                }
            }
        }
        add("tool calls made", ledger.calls.get());
        add("calls on a running server that took longer than the stale timeout", stallMillis.size());
        add("  of which while another server process was stopped", withPause);
    }

    /** Microseconds from {@code t} to the first later grant of a conflicting lock to another process, or -1. */
    private static long firstTakeover(
            List<Ledger.Hold> holds, Incarnation who, long t, java.util.function.Predicate<Ledger.Hold> heldAtT) {
        long best = -1;
        for (Ledger.Hold h : holds) {
            if (h.who != who || !heldAtT.test(h)) {
                continue;
            }
            for (Ledger.Hold o : holds) {
                if (o.who != who && o.grantedAt > t && conflict(h, o)) {
                    long d = o.grantedAt - t;
                    if (best < 0 || d < best) {
                        best = d;
                    }
                    break;
                }
            }
        }
        return best;
    }

    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
