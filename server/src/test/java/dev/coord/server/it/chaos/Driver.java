package dev.coord.server.it.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * Drives one server process as a busy Claude Code session would, one call at a time: lock cycles on a few hot paths
 * (exclusive and shared, one or two paths per call, with waiting), decisions, and mission claims (with takeovers of
 * stranded missions) and finishes. Everything it is told goes to the {@link Ledger}.
 */
final class Driver implements Runnable {
    /** Hot paths: {@code hot/} covers the two files under it, {@code cold/c.txt} is apart. */
    static final List<String> PATHS = List.of("hot/a.txt", "hot/b.txt", "hot/", "cold/c.txt");

    private static final AtomicInteger MISSION_SEQ = new AtomicInteger();

    private final Incarnation me;
    private final Ledger ledger;
    private final Path missions;
    private final long callTimeoutMillis;
    private final long stallMicros;
    private final BooleanSupplier stop;

    Driver(
            Incarnation me,
            Ledger ledger,
            Path missions,
            long callTimeoutMillis,
            long stallMicros,
            BooleanSupplier stop) {
        this.me = me;
        this.ledger = ledger;
        this.missions = missions;
        this.callTimeoutMillis = callTimeoutMillis;
        this.stallMicros = stallMicros;
        this.stop = stop;
    }

    @Override
    public void run() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try {
            while (!stop.getAsBoolean()) {
                if (me.worktree != null && rnd.nextInt(25) == 0) {
                    guardCycle();
                    continue;
                }
                double r = rnd.nextDouble();
                try {
                    if (r < 0.52) {
                        lockCycle(rnd);
                    } else if (r < 0.70) {
                        editCycle(rnd);
                    } else if (r < 0.80) {
                        decision(rnd);
                    } else if (r < 0.88) {
                        message(rnd);
                    } else {
                        missionCycle(rnd);
                    }
                } catch (IllegalStateException e) {
                    if (!me.server.alive()) {
                        return;
                    }
                    ledger.unexpected(e.getMessage());
                }
            }
        } catch (RawServer.Gone e) {
            // killed: the killer starts a replacement with a driver of its own
        }
    }

    private JsonNode call(String tool, Map<String, Object> args) {
        long t0 = Ledger.now();
        JsonNode r = me.server.call(tool, args, callTimeoutMillis);
        long t1 = Ledger.now();
        ledger.calls.incrementAndGet();
        // a call on a running server that took longer than the stale timeout (acquire_lock may wait 2 s itself)
        if (t1 - t0 > stallMicros && !me.pausedDuring(t0, t1)) {
            ledger.stall(t0, t1);
        }
        return r;
    }

    private static String code(JsonNode result) {
        String text = result.path("content").path(0).path("text").asString("");
        int colon = text.indexOf(':');
        return colon > 0 ? text.substring(0, colon) : text;
    }

    private void lockCycle(ThreadLocalRandom rnd) throws RawServer.Gone {
        List<String> paths = new ArrayList<>();
        paths.add(PATHS.get(rnd.nextInt(PATHS.size())));
        if (rnd.nextInt(5) == 0) {
            String other = PATHS.get(rnd.nextInt(PATHS.size()));
            if (!other.equals(paths.get(0))) {
                paths.add(other);
            }
        }
        String mode = rnd.nextInt(5) == 0 ? "shared" : "exclusive";
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("paths", paths);
        args.put("mode", mode);
        args.put("wait_seconds", 2);
        args.put("reason", "chaos");
        long requested = Ledger.now();
        ledger.acquireCalls.incrementAndGet();
        JsonNode result = call("acquire_lock", args);
        long granted = Ledger.now();
        if (result.path("isError").asBoolean(false)) {
            ledger.unexpected("acquire_lock " + code(result));
            return;
        }
        JsonNode sc = result.path("structuredContent");
        if (!sc.path("acquired").asBoolean(false)) {
            ledger.contended.incrementAndGet();
            return;
        }
        List<Ledger.Hold> mine = new ArrayList<>();
        for (JsonNode l : sc.path("locks")) {
            if (l.path("renewed").asBoolean(false)) {
                ledger.unexpected("acquire_lock renewed a lock the driver did not hold: " + l);
            }
            Ledger.Hold h = new Ledger.Hold(
                    me,
                    l.path("path").asString(),
                    l.path("mode").asString(),
                    l.path("token").asLong(),
                    requested,
                    granted,
                    Instant.parse(l.path("expires_at").asString()).toEpochMilli() * 1000);
            mine.add(h);
            ledger.add(h);
        }
        // mostly short critical sections; one in eight is a longer edit, long enough to be caught by the killer
        sleepMicros(rnd.nextInt(8) == 0 ? rnd.nextLong(200_000, 600_000) : rnd.nextLong(0, 30_000));
        if (rnd.nextBoolean()) {
            // look before editing, as a session would: a stopped server makes this wait, so the holder's belief
            // spans the pause, and the answer must not call a lock taken away meanwhile "yours"
            long sent = Ledger.now();
            JsonNode st = call("status", Map.of("paths", paths));
            for (JsonNode p : st.path("structuredContent").path("paths")) {
                for (Ledger.Hold h : mine) {
                    if (p.path("path").asString().equals(h.path)
                            && p.path("state").asString().equals("yours")) {
                        h.statusYours = true;
                        h.statusSentAt = sent;
                    }
                }
            }
        }
        long end = Ledger.now();
        for (Ledger.Hold h : mine) {
            h.endAt = end;
        }
        JsonNode rel = call("release_lock", Map.of("paths", paths));
        if (rel.path("isError").asBoolean(false)) {
            ledger.unexpected("release_lock " + code(rel));
            for (Ledger.Hold h : mine) {
                h.answer = Ledger.Answer.REJECTED;
                h.answerCode = code(rel);
            }
            return;
        }
        JsonNode rsc = rel.path("structuredContent");
        for (Ledger.Hold h : mine) {
            for (JsonNode r : rsc.path("released")) {
                if (r.path("path").asString().equals(h.path)) {
                    h.answer = Ledger.Answer.ACCEPTED;
                    h.answerCode = r.path("token").asLong() == h.token ? "" : "token " + r.path("token");
                }
            }
            for (JsonNode n : rsc.path("not_held")) {
                if (n.path("path").asString().equals(h.path)) {
                    h.answer = Ledger.Answer.REJECTED;
                    h.answerCode = n.path("code").asString();
                }
            }
        }
    }

    /**
     * An edit as Claude Code's PreToolUse hook reports it ({@code COORD_ENFORCE=deny}): entered when the answer is not
     * a deny and a {@code status} on the path says it is the caller's; left just before its {@code release_lock}.
     */
    private void editCycle(ThreadLocalRandom rnd) throws RawServer.Gone {
        List<String> files = List.of("hot/a.txt", "hot/b.txt", "cold/c.txt");
        String path = files.get(rnd.nextInt(files.size()));
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("event", "PreToolUse");
        args.put("tool_name", "Edit");
        args.put("file_path", path);
        args.put("session_id", "chaos-" + me.slot);
        long requested = Ledger.now();
        ledger.editCalls.incrementAndGet();
        JsonNode result = call("hook", args);
        long granted = Ledger.now();
        if (result.path("isError").asBoolean(false)) {
            ledger.unexpected("hook " + code(result));
            return;
        }
        String text = result.path("content").path(0).path("text").asString("");
        if (text.contains("\"permissionDecision\":\"deny\"")) {
            ledger.editDenied.incrementAndGet();
            return;
        }
        // the answer of a fresh claim is empty (or a note): the claim is confirmed by the server's own status
        JsonNode st = call("status", Map.of("paths", List.of(path)));
        boolean yours = false;
        for (JsonNode p : st.path("structuredContent").path("paths")) {
            yours |= p.path("path").asString().equals(path)
                    && p.path("state").asString().equals("yours");
        }
        if (!yours) {
            // taken away between the two calls (a pause), or no claim was taken: the witness counts it as not entered
            ledger.editDenied.incrementAndGet();
            if (!me.pausedDuring(requested, Ledger.now())) {
                ledger.unexpected("hook allowed an edit but status did not say yours");
            }
            return;
        }
        Ledger.Hold h = new Ledger.Hold(me, path, "exclusive", 0, requested, granted, Long.MAX_VALUE);
        h.edit = true;
        ledger.add(h);
        sleepMicros(rnd.nextInt(8) == 0 ? rnd.nextLong(200_000, 600_000) : rnd.nextLong(0, 30_000));
        h.endAt = Ledger.now();
        JsonNode rel = call("release_lock", Map.of("paths", List.of(path)));
        if (rel.path("isError").asBoolean(false)) {
            ledger.unexpected("release_lock " + code(rel));
            h.answer = Ledger.Answer.REJECTED;
            h.answerCode = code(rel);
            return;
        }
        JsonNode rsc = rel.path("structuredContent");
        for (JsonNode r : rsc.path("released")) {
            if (r.path("path").asString().equals(path)) {
                h.answer = Ledger.Answer.ACCEPTED;
                h.token = r.path("token").asLong();
            }
        }
        for (JsonNode n : rsc.path("not_held")) {
            if (n.path("path").asString().equals(path)) {
                h.answer = Ledger.Answer.REJECTED;
                h.answerCode = n.path("code").asString();
            }
        }
    }

    /**
     * A {@code git stash} or {@code git reset --hard} as Claude Code's PreToolUse hook reports a Bash command, in this
     * session's worktree: the
     * guard must deny it when another live session works there ({@code COORD_ENFORCE=deny}). Never run.
     */
    private void guardCycle() throws RawServer.Gone {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("event", "PreToolUse");
        args.put("tool_name", "Bash");
        args.put("command", ThreadLocalRandom.current().nextBoolean() ? "git stash" : "git reset --hard");
        args.put("cwd", me.worktree.toString());
        args.put("session_id", "chaos-" + me.slot);
        long sent = Ledger.now();
        JsonNode result;
        try {
            result = call("hook", args);
        } catch (IllegalStateException e) {
            if (me.server.alive()) {
                ledger.unexpected(e.getMessage());
            }
            return;
        }
        long answered = Ledger.now();
        if (result.path("isError").asBoolean(false)) {
            ledger.unexpected("hook Bash " + code(result));
            return;
        }
        String text = result.path("content").path(0).path("text").asString("");
        ledger.git.guard(new GitLedger.GuardCall(me, sent, answered, text.contains("\"permissionDecision\":\"deny\"")));
    }

    private void decision(ThreadLocalRandom rnd) throws RawServer.Gone {
        Map<String, Object> args = Map.of(
                "category",
                "chaos",
                "title",
                "decision of slot " + me.slot,
                "description",
                "written under chaos " + UUID.randomUUID());
        JsonNode result = call("log_decision", args);
        if (result.path("isError").asBoolean(false)) {
            ledger.unexpected("log_decision " + code(result));
            return;
        }
        ledger.decision(result.path("structuredContent").path("id").asString());
    }

    /** Sends a message to every other live session, or reads this session's unread ones. */
    private void message(ThreadLocalRandom rnd) throws RawServer.Gone {
        if (rnd.nextBoolean()) {
            JsonNode result = call("send_message", Map.of("to", "all", "body", "chaos message " + UUID.randomUUID()));
            if (result.path("isError").asBoolean(false)) {
                // alone in the repository (every other session killed or reaped): nobody to send to
                if (!code(result).equals("NOT_FOUND")) {
                    ledger.unexpected("send_message " + code(result));
                }
                return;
            }
            ledger.message(result.path("structuredContent").path("id").asString());
            return;
        }
        JsonNode result = call("read_messages", Map.of("limit", 20));
        if (result.path("isError").asBoolean(false)) {
            ledger.unexpected("read_messages " + code(result));
            return;
        }
        String self = me.instanceId;
        for (JsonNode m : result.path("structuredContent").path("messages")) {
            ledger.readUnread(self, m.path("id").asString());
        }
    }

    private void missionCycle(ThreadLocalRandom rnd) throws RawServer.Gone {
        ledger.claimCalls.incrementAndGet();
        JsonNode sc = null;
        boolean takeover = false;
        // one time in four, first look for a stranded mission (its claimer was killed) and take it over
        if (rnd.nextInt(4) == 0) {
            sc = takeOverStranded();
            takeover = sc != null;
        }
        if (sc == null) {
            JsonNode result =
                    call("claim_mission", Map.of("request_id", UUID.randomUUID().toString()));
            if (result.path("isError").asBoolean(false)) {
                ledger.unexpected("claim_mission " + code(result));
                return;
            }
            sc = result.path("structuredContent");
            if (!sc.path("claimed").asBoolean(false)) {
                // nothing claimable, or a lost race
                sc = takeOverStranded();
                takeover = sc != null;
                if (sc == null) {
                    return;
                }
            }
        }
        if (sc.path("replayed").asBoolean(false) || sc.path("already_yours").asBoolean(false)) {
            ledger.unexpected("claim_mission replayed or already yours on a fresh request id: " + sc);
        }
        String id = sc.path("mission").path("id").asString();
        Ledger.Claim claim = new Ledger.Claim(me, id, Ledger.now(), takeover);
        ledger.add(claim);
        sleepMicros(rnd.nextInt(8) == 0 ? rnd.nextLong(200_000, 600_000) : rnd.nextLong(0, 50_000));
        boolean done = rnd.nextInt(4) == 0;
        claim.outcome = done ? "done" : "give_back";
        claim.endAt = Ledger.now();
        Map<String, Object> args = done
                ? Map.of("mission_id", id, "outcome", "done", "summary", "chaos")
                : Map.of("mission_id", id, "outcome", "give_back", "reason", "chaos");
        JsonNode fin = call("finish_mission", args);
        if (fin.path("isError").asBoolean(false)) {
            claim.answer = Ledger.Answer.REJECTED;
            claim.answerCode = fin.path("content").path(0).path("text").asString("");
            return;
        }
        claim.answer = Ledger.Answer.ACCEPTED;
        if (fin.path("structuredContent").path("replayed").asBoolean(false)) {
            ledger.unexpected("finish_mission replayed: " + fin.path("structuredContent"));
        }
        if (done) {
            ledger.missionDone(id);
            addMission(missions, ledger);
        }
    }

    /** Takes over a mission that {@code status} shows as stranded; the claim's structured content, or null. */
    private JsonNode takeOverStranded() {
        JsonNode status = call("status", Map.of()).path("structuredContent");
        String stranded = null;
        for (JsonNode a : status.path("missions").path("active")) {
            if (a.path("stranded").asBoolean(false)) {
                stranded = a.path("id").asString();
                break;
            }
        }
        if (stranded == null) {
            return null;
        }
        JsonNode result = call(
                "claim_mission", Map.of("mission_id", stranded, "force", true, "reason", "chaos: claimer is gone"));
        if (result.path("isError").asBoolean(false)
                || !result.path("structuredContent").path("claimed").asBoolean(false)) {
            return null; // someone else took it over first, or it was finished meanwhile
        }
        return result.path("structuredContent");
    }

    /** Puts a new mission in the queue, written elsewhere and renamed in, as a user would save it. */
    static void addMission(Path missions, Ledger ledger) {
        String id = "chaos-" + MISSION_SEQ.incrementAndGet() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String text = "---\nmission_id: " + id + "\nstatus: QUEUED\npriority: "
                + (1 + ThreadLocalRandom.current().nextInt(3))
                + "\n---\n\n# Chaos mission " + id + "\n\n## Execution Log\n";
        try {
            Path tmp = Files.writeString(missions.resolveSibling("new-" + id + ".md"), text);
            ledger.missionCreated(id);
            Files.move(tmp, missions.resolve("queue").resolve(id + ".md"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleepMicros(long micros) {
        try {
            Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
