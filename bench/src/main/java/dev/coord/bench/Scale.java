package dev.coord.bench;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.json.Json;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Large state: a 100,000-entry decision log; 50 instances holding 5,000 locks; bounded memory with messages. */
final class Scale {
    private Scale() {}

    static final int DECISIONS = Integer.getInteger("bench.decisions", 100_000);
    static final int INSTANCES = 50;
    static final int LOCKS_EACH = 100;
    static final int CALLS = Integer.getInteger("bench.scale.calls", 500);
    /** The pre-made instances carry the driver's pid; give them a long heartbeat allowance. */
    static final Map<String, String> ENV = Map.of("COORD_STALE_AFTER", "30m");

    static void run(Env env) throws IOException {
        decisions(env);
        locks(env);
    }

    static void decisions(Env env) throws IOException {
        Path repo = env.newRepo("scale-decisions");
        Path file = writeDecisions(repo);
        long bytes = Files.size(file);
        Launch l = Launch.server(env);
        Stats first = new Stats();
        Stats byCategory = new Stats();
        Stats byText = new Stats();
        Stats newest = new Stats();
        Stats append = new Stats();
        long rss;
        try (Rpc rpc = l.spawn(repo, ENV, env.stderrLog)) {
            rpc.initialize();
            rpc.toolsList();
            long t0 = System.nanoTime();
            JsonNode r = rpc.call("query_decisions", Map.of("category", "cat-3", "limit", 20));
            first.add(System.nanoTime() - t0);
            if (r.path("decisions").size() != 20) {
                throw new IllegalStateException("expected 20 decisions, got " + r);
            }
            for (int i = 0; i < 50 + CALLS; i++) {
                boolean measured = i >= 50;
                long a = System.nanoTime();
                rpc.call("query_decisions", Map.of("category", "cat-" + (i % 20), "limit", 20));
                long b = System.nanoTime();
                rpc.call("query_decisions", Map.of("text", "needle", "limit", 20));
                long c = System.nanoTime();
                rpc.call("query_decisions", Map.of("limit", 20));
                long d = System.nanoTime();
                if (measured) {
                    byCategory.add(b - a);
                    byText.add(c - b);
                    newest.add(d - c);
                }
            }
            for (int i = 0; i < 20 + CALLS / 5; i++) {
                long a = System.nanoTime();
                rpc.call("log_decision", Map.of("category", "cat-1", "title", "more " + i, "description", "more"));
                if (i >= 20) {
                    append.add(System.nanoTime() - a);
                }
            }
            rss = rpc.rssKb();
            Targets.put("rss.decisions", rss / 1024.0);
        }
        env.report("## Scale: decision log of " + DECISIONS + " entries (" + bytes / (1024 * 1024) + " MB)\n\n"
                + "| call | median ms | p99 ms | max ms | calls |\n|---|---|---|---|---|\n"
                + "| first query after start (parses the whole log) | " + first.cells() + " |\n"
                + "| query_decisions by category, limit 20 | " + byCategory.cells() + " |\n"
                + "| query_decisions by text (1% match), limit 20 | " + byText.cells() + " |\n"
                + "| query_decisions newest 20 | " + newest.cells() + " |\n"
                + "| log_decision at " + DECISIONS + " entries (fsynced) | " + append.cells() + " |\n\n"
                + "RSS of that server afterwards (only an index of the log is held in memory): " + rss / 1024
                + " MB.\n");
    }

    /** Writes a decision log of {@link #DECISIONS} entries into the repository's state directory. */
    static Path writeDecisions(Path repo) throws IOException {
        Path state = repo.resolve(".claude/coordination");
        Files.createDirectories(state);
        Path file = state.resolve("decisions.jsonl");
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
        Instant start = Instant.now().minus(Duration.ofDays(DECISIONS / 1000 + 1));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < DECISIONS; i++) {
                Instant at = start.plusSeconds(86_400L * (i / 1000) + (i % 1000));
                String text = i % 100 == 7 ? "needle in the haystack" : "ordinary choice";
                Decision d = new Decision(
                        String.format("DEC-%s-%04d", day.format(at), i % 1000 + 1),
                        "cat-" + (i % 20),
                        "decision " + i + " about module " + (i % 37),
                        "We chose approach " + i + " for module " + (i % 37) + ": " + text
                                + ". It keeps the interface small and the tests fast.",
                        "module",
                        List.of("t" + (i % 5)),
                        "claude-20260101-000000-0000abcd",
                        null,
                        at,
                        null);
                ObjectNode line = Json.mapper().createObjectNode();
                line.put("schemaVersion", 1);
                line.setAll((ObjectNode) Json.mapper().valueToTree(d));
                out.write((Json.mapper().writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    static final int MESSAGES = Integer.getInteger("bench.messages", 10_000);

    /**
     * The memory a long-lived session reaches: one server in a repository with a 100,000-entry decision log answers
     * queries over all of it, then sends 10,000 messages (200 characters each, to {@code person}, so that nobody
     * reads them and retention alone bounds what is kept), with status and inbox checks between them. RSS and
     * anonymous memory are read after each step; the state files' sizes show what retention kept.
     */
    static void bounded(Env env) throws IOException {
        Path repo = env.newRepo("bounded");
        writeDecisions(repo);
        Path state = repo.resolve(".claude/coordination");
        Launch l = Launch.server(env);
        String body = "x".repeat(150) + " a note of two hundred characters, as a session would send one to a person.";
        StringBuilder md = new StringBuilder("## Bounded memory: 100,000 decisions, then " + MESSAGES
                + " messages, one server\n\nServer launch: `" + l.shown(env.root) + "`.\n\n"
                + "| step | RSS MB | anonymous MB | state files KB |\n|---|---|---|---|\n");
        Stats send = new Stats();
        try (Rpc rpc = l.spawn(repo, ENV, env.stderrLog)) {
            rpc.initialize();
            rpc.toolsList();
            sleep(3000);
            row(md, "idle, 3 s after tools/list", rpc, state);
            for (int i = 0; i < 200; i++) {
                rpc.call("query_decisions", Map.of("category", "cat-" + (i % 20), "limit", 20));
                rpc.call("query_decisions", Map.of("text", "needle", "limit", 20));
            }
            rpc.call("log_decision", Map.of("category", "cat-1", "title", "one more", "description", "more"));
            row(md, "after 400 queries over 100,000 decisions and one more decision", rpc, state);
            Targets.put("rss.decisions", rpc.rssKb() / 1024.0);
            for (int i = 0; i < MESSAGES; i++) {
                long a = System.nanoTime();
                rpc.call("send_message", Map.of("to", "person", "body", body + " #" + i));
                send.add(System.nanoTime() - a);
                if (i % 100 == 99) {
                    rpc.call("status", Map.of());
                }
                if (i == MESSAGES / 2 - 1) {
                    row(md, "after " + MESSAGES / 2 + " messages", rpc, state);
                }
            }
            row(md, "after " + MESSAGES + " messages (retention keeps at most 5,000)", rpc, state);
            Targets.put("rss.messages", rpc.rssKb() / 1024.0);
            sleep(25_000);
            row(md, "then 25 s without a call (the server's idle collection)", rpc, state);
            Targets.put("rss.messages.idle", rpc.rssKb() / 1024.0);
        }
        md.append("\nsend_message: ").append(send.cells()).append(" (median ms | p99 | max | calls).\n");
        env.report(md.toString());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void row(StringBuilder md, String step, Rpc rpc, Path state) throws IOException {
        long bytes;
        try (var files = Files.list(state)) {
            bytes = files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        }
        md.append("| ")
                .append(step)
                .append(" | ")
                .append(rpc.rssKb() / 1024)
                .append(" | ")
                .append(rpc.anonKb() / 1024)
                .append(" | ")
                .append(bytes / 1024)
                .append(" |\n");
    }

    static void locks(Env env) throws IOException {
        Path repo = env.newRepo("scale-locks");
        Path state = repo.resolve(".claude/coordination");
        Files.createDirectories(state);
        HostIdentity host = HostIdentity.current(System.getenv());
        LivenessJudge judge = new LivenessJudge(Duration.ofMinutes(30), host, ProcessProbe.system());
        try (FileStore store = FileStore.open(state, Clock.systemUTC(), judge, FileStoreOptions.defaults())) {
            for (int i = 0; i < INSTANCES; i++) {
                Instance in = CoordEngine.thisProcess(host, Instant.now(), repo.toString(), "main", null)
                        .withClient("bench", "1")
                        .withWork("benchmark instance " + i + " refactoring module " + i, "dev", "main");
                store.register(in);
                List<LockRequest> reqs = new ArrayList<>();
                for (int k = 0; k < LOCKS_EACH; k++) {
                    reqs.add(new LockRequest("mod" + i + "/src/File" + k + ".java", LockMode.EXCLUSIVE, null));
                }
                var out = store.acquire(in, reqs, Duration.ofHours(2), "bench scale", null);
                if (out == null) {
                    throw new IllegalStateException("acquire returned nothing");
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("setting up 5,000 locks failed", e);
        }
        long tableBytes = 0;
        try (var files = Files.list(state)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().endsWith(".json")) {
                    tableBytes += Files.size(p);
                }
            }
        }
        Launch l = Launch.server(env);
        Stats status = new Stats();
        Stats acquire = new Stats();
        Stats release = new Stats();
        Stats conflict = new Stats();
        int statusBytes = 0;
        int structuredBytes = 0;
        long rss;
        try (Rpc rpc = l.spawn(repo, ENV, env.stderrLog)) {
            rpc.initialize();
            rpc.toolsList();
            JsonNode s0 = rpc.call("status", Map.of());
            if (s0.path("more_locks").asInt(0) + s0.path("locks").size() < INSTANCES * LOCKS_EACH) {
                throw new IllegalStateException("the locks did not survive: " + s0);
            }
            for (int i = 0; i < 50 + CALLS; i++) {
                long a = System.nanoTime();
                JsonNode s = rpc.callRaw("status", Map.of());
                long b = System.nanoTime();
                statusBytes = rpc.lastBytes;
                List<String> p = List.of("new/File" + (i % 10) + ".java");
                rpc.call("acquire_lock", Map.of("paths", p));
                long c = System.nanoTime();
                rpc.call("release_lock", Map.of("paths", p));
                long d = System.nanoTime();
                JsonNode x = rpc.callRaw("acquire_lock", Map.of("paths", List.of("mod7/src/File3.java")));
                long e = System.nanoTime();
                if (x.path("structuredContent").path("acquired").asBoolean(true)) {
                    throw new IllegalStateException("a held lock was granted again");
                }
                if (i >= 50) {
                    status.add(b - a);
                    acquire.add(c - b);
                    release.add(d - c);
                    conflict.add(e - d);
                }
                structuredBytes = Rpc.JSON
                        .writeValueAsString(s.path("structuredContent"))
                        .getBytes(StandardCharsets.UTF_8)
                        .length;
            }
            rss = rpc.rssKb();
        }
        env.report("## Scale: " + INSTANCES + " instances holding " + INSTANCES * LOCKS_EACH + " locks (+1 server)\n\n"
                + "State documents on disk: " + tableBytes / 1024 + " KB. status answer: structuredContent "
                + structuredBytes + " bytes (whole JSON-RPC line " + statusBytes + " bytes).\n\n"
                + "| call | median ms | p99 ms | max ms | calls |\n|---|---|---|---|---|\n"
                + "| status | " + status.cells() + " |\n"
                + "| acquire_lock of a free path | " + acquire.cells() + " |\n"
                + "| release_lock | " + release.cells() + " |\n"
                + "| acquire_lock of a held path (conflict, no wait) | " + conflict.cells() + " |\n\n"
                + "RSS of that server afterwards: " + rss / 1024 + " MB.\n");
    }
}
