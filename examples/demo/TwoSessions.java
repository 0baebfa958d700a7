import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two coord sessions on one scratch repository, with no Claude Code: starts two real coord MCP servers and talks
 * raw JSON-RPC to each over its stdin and stdout, exactly as Claude Code would. Shows a lock conflict, a shared
 * decision and a mission claim race, then what a person sees with {@code coord status}.
 *
 * <pre>
 * java examples/demo/TwoSessions.java path/to/coord.jar [scratch-dir]
 * </pre>
 *
 * Runs from source on JDK 17+ with no dependency. Exit status 0 when every outcome is as coord promises, 1 if not.
 */
public class TwoSessions {
    static Path jar;
    static Path repo;
    static boolean allGood = true;

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java TwoSessions.java COORD_JAR [SCRATCH_DIR]");
            System.exit(2);
        }
        jar = Path.of(args[0]).toAbsolutePath();
        Path scratch = args.length == 2
                ? Files.createDirectories(Path.of(args[1]))
                : Files.createTempDirectory("coord-demo-");
        repo = scratch.resolve("repo");
        makeRepository();

        say("coord two-session demo");
        say("  repository: " + repo + " (a scratch git repository)");
        say("  server:     " + jar);
        say("");

        try (Session a = new Session("A", scratch); Session b = new Session("B", scratch)) {
            String idA = a.register("Refactor the login flow");
            String idB = b.register("Fix the session timeout bug");
            say("Two coord servers run, one per session, as two Claude Code sessions would start them.");
            say("  A is " + idA + " (pid " + a.pid() + ")");
            say("  B is " + idB + " (pid " + b.pid() + ")");

            lockConflict(a, b, idA);
            sharedDecision(a, b, idA);
            missionRace(a, b, idA, idB);
            humanView();

            say("");
            say("Both sessions end: each server releases its session's locks and unregisters as its stdin closes.");
        }
        say("");
        say(allGood ? "RESULT: all outcomes as expected" : "RESULT: something unexpected happened (see above)");
        System.exit(allGood ? 0 : 1);
    }

    // ------------------------------------------------------------------ the three scenes

    static void lockConflict(Session a, Session b, String idA) throws Exception {
        heading("1. Lock conflict");
        Map<String, Object> got = a.tool("acquire_lock", "{\"paths\":[\"src/Login.java\"],\"reason\":\"refactor\"}");
        Map<String, Object> lockA = first(got, "locks");
        say("A  acquire_lock src/Login.java    -> acquired: " + got.get("acquired") + " (" + lockA.get("mode")
                + ", token " + lockA.get("token") + ")");

        Map<String, Object> refused = b.tool("acquire_lock", "{\"paths\":[\"src/Login.java\"]}");
        Map<String, Object> conflict = first(refused, "conflicts");
        Map<String, Object> holder = map(conflict.get("held_by"));
        say("B  acquire_lock src/Login.java    -> acquired: " + refused.get("acquired") + ", held by "
                + holder.get("instance_id") + " (\"" + holder.get("task") + "\") until " + seconds(conflict.get("expires_at")));
        check(Boolean.FALSE.equals(refused.get("acquired")), "B is refused while A holds the file");
        check(idA.equals(holder.get("instance_id")), "B is told that A holds it");

        // B queues for the lock: its answer comes when the lock is granted (or after 60 s)
        long waitCall = b.send("tools/call", call("acquire_lock", "{\"paths\":[\"src/Login.java\"],\"wait_seconds\":60}"));
        say("B  acquire_lock src/Login.java wait_seconds=60  ... waiting");
        long queued = 0;
        for (int i = 0; i < 100 && queued == 0; i++) {
            Thread.sleep(100); // until A's status shows B in the queue (at most 10 s)
            queued = number(a.tool("status", "{}").get("waiting"));
        }
        say("A  status                         -> waiting: " + queued + " (B is queued behind A)");
        Map<String, Object> released = a.tool("release_lock", "{\"paths\":[\"src/Login.java\"]}");
        say("A  release_lock src/Login.java    -> released " + list(released, "released").size() + " lock");
        Map<String, Object> waited = structured(b.receive(waitCall));
        Map<String, Object> lockB = waited.containsKey("locks") && !list(waited, "locks").isEmpty()
                ? first(waited, "locks")
                : Map.of();
        say("B  ... the wait ends              -> acquired: " + waited.get("acquired") + " (token "
                + lockB.get("token") + ")");
        check(Boolean.TRUE.equals(waited.get("acquired")), "B gets the lock once A releases it");
        check(number(lockB.get("token")) > number(lockA.get("token")), "B's fencing token is higher than A's");
        b.tool("release_lock", "{\"all\":true}");
    }

    static void sharedDecision(Session a, Session b, String idA) throws Exception {
        heading("2. Shared decision");
        Map<String, Object> logged = a.tool(
                "log_decision",
                "{\"category\":\"api\",\"title\":\"Sessions expire after 30 minutes of inactivity\","
                        + "\"description\":\"Idle timeout is 30 min, absolute timeout 12 h. Both live in"
                        + " SessionConfig; do not hard-code them.\",\"scope\":\"service\"}");
        say("A  log_decision category=api      -> " + logged.get("id") + " \"" + logged.get("title") + "\"");
        Map<String, Object> found = b.tool("query_decisions", "{\"category\":\"api\"}");
        List<Object> decisions = list(found, "decisions");
        Map<String, Object> seen = decisions.isEmpty() ? Map.of() : map(decisions.get(0));
        say("B  query_decisions category=api   -> " + decisions.size() + " decision: " + seen.get("id") + " by "
                + seen.get("author") + ": \"" + seen.get("description") + "\"");
        check(logged.get("id").equals(seen.get("id")), "B sees the decision A logged");
        check(idA.equals(seen.get("author")), "the decision names A as its author");
    }

    static void missionRace(Session a, Session b, String idA, String idB) throws Exception {
        heading("3. Mission claim race");
        String claim = call("claim_mission", "{\"mission_id\":\"2026-11-22-session-timeout\"}");
        // both requests are on their way before either answer is read: the two servers decide at the same time
        long ca = a.send("tools/call", claim);
        long cb = b.send("tools/call", claim);
        say("A and B both claim_mission 2026-11-22-session-timeout at once");
        Map<String, Object> ra = structured(a.receive(ca));
        Map<String, Object> rb = structured(b.receive(cb));
        for (Object[] r : new Object[][] {{"A", ra}, {"B", rb}}) {
            Map<String, Object> res = map(r[1]);
            if (Boolean.TRUE.equals(res.get("claimed"))) {
                say(r[0] + "  -> claimed: true, file moved to " + map(res.get("mission")).get("path"));
            } else {
                Map<String, Object> by = map(res.get("held_by"));
                say(r[0] + "  -> claimed: false, " + res.get("code") + ", held by " + by.get("instance_id") + " (\""
                        + by.get("task") + "\")");
            }
        }
        boolean aWon = Boolean.TRUE.equals(ra.get("claimed"));
        boolean bWon = Boolean.TRUE.equals(rb.get("claimed"));
        check(aWon != bWon, "exactly one session wins");
        Map<String, Object> loser = aWon ? rb : ra;
        String winner = aWon ? idA : idB;
        check("ALREADY_CLAIMED".equals(loser.get("code")), "the loser is told ALREADY_CLAIMED");
        check(winner.equals(map(loser.get("held_by")).get("instance_id")), "the loser is told who won");
        check(
                Files.exists(repo.resolve("missions/active/2026-11-22-session-timeout.md")),
                "the mission file is in missions/active/");
        Session won = aWon ? a : b;
        won.tool("acquire_lock", "{\"paths\":[\"src/\"],\"reason\":\"mission 2026-11-22-session-timeout\"}");
        say((aWon ? "A" : "B") + "  acquire_lock src/ (the whole directory, for its mission)");
    }

    static void humanView() throws Exception {
        heading("4. What a person sees: coord status");
        Process p = new ProcessBuilder(java(), "-jar", jar.toString(), "status")
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        out.lines().forEach(l -> say("  | " + l));
    }

    // ------------------------------------------------------------------ scratch repository

    static void makeRepository() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/Login.java"), "class Login {}\n");
        Path queue = Files.createDirectories(repo.resolve("missions/queue"));
        Files.createDirectories(repo.resolve("missions/active"));
        Files.createDirectories(repo.resolve("missions/done"));
        Files.writeString(queue.resolve("2026-11-22-session-timeout.md"), """
                ---
                mission_id: 2026-11-22-session-timeout
                status: QUEUED
                created: 2026-11-22
                priority: 1
                ---

                # Mission: Session timeout

                ## Objectives

                - [ ] **O1**: Expire idle sessions after 30 minutes
                """);
        git("init", "-q");
        git("add", ".");
        git("commit", "-q", "-m", "demo repository");
    }

    static void git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "git", "-c", "user.name=demo", "-c", "user.email=demo@example.com", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed");
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ------------------------------------------------------------------ one coord server over stdio

    /** One session: a coord server process, spoken to in newline-delimited JSON-RPC 2.0. */
    static final class Session implements AutoCloseable {
        final String name;
        final Process process;
        final Writer in;
        final BufferedReader out;
        long nextId = 1;

        Session(String name, Path scratch) throws Exception {
            this.name = name;
            ProcessBuilder pb = new ProcessBuilder(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                            jar.toString())
                    .directory(repo.toFile())
                    .redirectError(scratch.resolve("server-" + name + ".log").toFile());
            pb.environment().put("CLAUDE_PROJECT_DIR", repo.toString());
            process = pb.start();
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            // the MCP handshake: initialize, then the initialized notification
            receive(send("initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"coord-demo\",\"version\":\"1\"}}"));
            write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        long pid() {
            return process.pid();
        }

        String register(String task) throws Exception {
            return (String) tool("register_instance", "{\"task\":\"" + task + "\"}").get("instance_id");
        }

        /** Calls a tool and returns its structuredContent; a tool error stops the demo. */
        Map<String, Object> tool(String name, String arguments) throws Exception {
            return structured(receive(send("tools/call", call(name, arguments))));
        }

        long send(String method, String params) throws IOException {
            long id = nextId++;
            write("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
            return id;
        }

        void write(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
        }

        /** Reads lines until the response to request {@code id}; skips notifications. */
        Map<String, Object> receive(long id) throws IOException {
            while (true) {
                String line = out.readLine();
                if (line == null) {
                    throw new IllegalStateException("session " + name + ": the server exited (see its log)");
                }
                Map<String, Object> msg = map(Json.parse(line));
                if (msg.containsKey("id") && number(msg.get("id")) == id) {
                    if (msg.containsKey("error")) {
                        throw new IllegalStateException("session " + name + ": " + msg.get("error"));
                    }
                    return map(msg.get("result"));
                }
            }
        }

        @Override
        public void close() throws Exception {
            in.close(); // end of stdin: the server releases this session's locks, unregisters and exits
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
            }
        }
    }

    static String call(String tool, String arguments) {
        return "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}";
    }

    static Map<String, Object> structured(Map<String, Object> result) {
        if (Boolean.TRUE.equals(result.get("isError"))) {
            throw new IllegalStateException("tool error: " + result.get("content"));
        }
        return map(result.get("structuredContent"));
    }

    // ------------------------------------------------------------------ output

    static void heading(String title) {
        say("");
        say(title);
    }

    static void check(boolean ok, String what) {
        say("   " + (ok ? "ok    " : "FAILED") + "  " + what);
        allGood &= ok;
    }

    static void say(String line) {
        System.out.println(line);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) {
        Object o = m.get(key);
        return o == null ? List.of() : (List<Object>) o;
    }

    static Map<String, Object> first(Map<String, Object> m, String key) {
        List<Object> l = list(m, key);
        return l.isEmpty() ? Map.of() : map(l.get(0));
    }

    /** An ISO time to the second: 2026-11-22T01:12:28.755504683Z becomes 2026-11-22T01:12:28Z. */
    static String seconds(Object time) {
        String t = String.valueOf(time);
        return t.length() > 19 && t.charAt(19) == '.' ? t.substring(0, 19) + "Z" : t;
    }

    static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    // ------------------------------------------------------------------ a minimal JSON reader

    /** Just enough JSON to read the servers' answers: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.space();
            if (j.i != text.length()) {
                throw new IllegalArgumentException("trailing text at " + j.i);
            }
            return v;
        }

        private Object value() {
            space();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                space();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                do {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    m.put(k, value());
                    space();
                } while (s.charAt(i++) == ',');
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                space();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                do {
                    l.add(value());
                    space();
                } while (s.charAt(i++) == ',');
                return l;
            }
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String num = s.substring(start, i);
            return num.matches("-?\\d+") ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e); // \" \\ \/
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
            }
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
