package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Hostile input, line by line, into one long-lived real server: every input in {@code bad-input/corpus.jsonl} gets
 * the specific answer its entry names, the session answers a valid request right after it, nothing outside the
 * repository changes, every stdout line is a JSON-RPC 2.0 object, and the state files still match their schemas.
 *
 * <p>Corpus entries: {@code category}, {@code expect} (a JSON-RPC error code such as {@code -32700}, a tool error
 * code such as {@code INVALID_PATH}, {@code NOT_HELD} for a normal release result listing the path in
 * {@code not_held}, or {@code none} for no answer at all), and one of {@code raw} (the line as text), {@code gen}
 * (bytes made by {@link #generated}), {@code request} (method and params, sent with an id unless {@code no_id}), or
 * {@code tool} and {@code arguments} (a {@code tools/call}). In strings, {@code ${ROOT}} is the repository,
 * {@code ${ROOT_UPPER}} the same in upper case, and {@code ${EVIL}} its sibling {@code <root>-evil}.
 */
class BadInputIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CORPUS = "/bad-input/corpus.jsonl";
    static final long PER_INPUT_MILLIS = 15_000;

    @TempDir
    Path base;

    Process process;
    final List<String> stdout = new ArrayList<>();
    final List<String> protocolViolations = new ArrayList<>();
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    record Entry(int line, String category, String expect, JsonNode spec) {}

    @Test
    void everyHostileInputGetsASpecificAnswerAndTheSessionGoesOn() throws Exception {
        Path repo = Files.createDirectories(base.resolve("repo"));
        Path evil = Files.createDirectories(base.resolve("repo-evil"));
        Files.writeString(evil.resolve("a.txt"), "evil sibling");
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(repo.resolve("link"), outside);
        Files.writeString(repo.resolve("held-by-other.txt"), "held");
        Path root = repo.toRealPath();
        Map<String, String> vars = Map.of(
                "${ROOT_UPPER}", root.toString().toUpperCase(Locale.ROOT),
                "${ROOT}", root.toString(),
                "${EVIL}", root + "-evil");
        Map<String, String> before = snapshotOutside(base, repo);

        List<Entry> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);
        assertThat(corpus.stream().map(e -> e.spec().toString()).distinct().count())
                .as("distinct inputs")
                .isEqualTo(corpus.size());

        long started = System.nanoTime();
        Map<String, Integer> perCategory = new TreeMap<>();
        Map<String, Integer> perAnswer = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        try (CoordProcess other = new CoordProcess(repo, Map.of())) {
            Map<String, Object> held = other.ok("acquire_lock", Map.of("paths", List.of("held-by-other.txt")));
            assertThat(held.get("acquired")).isEqualTo(true);

            OutputStream in = start(repo);
            initialize(in);
            for (Entry e : corpus) {
                perCategory.merge(e.category(), 1, Integer::sum);
                String id = "bi-" + e.line();
                byte[] line = bytes(e, id, vars);
                String got;
                try {
                    got = exchange(in, line, answerId(e.spec(), id), "probe-" + e.line());
                } catch (AssertionError | IOException failure) {
                    got = "FAILED: " + failure.getMessage();
                }
                perAnswer.merge(got.startsWith("FAILED") ? "FAILED" : got, 1, Integer::sum);
                if (!got.equals(e.expect())) {
                    failures.add("corpus line " + e.line() + " [" + e.category() + "] expected " + e.expect() + ", got "
                            + got + ": " + shorten(e.spec().toString()));
                    if (got.startsWith("FAILED")) {
                        break;
                    }
                }
            }
            in.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                failures.add("the server did not exit within 30 s after the end of stdin; stderr:\n"
                        + tail(base.resolve("stderr.log")));
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        StringBuilder report = new StringBuilder();
        report.append("bad-input corpus: ")
                .append(corpus.size())
                .append(" inputs in ")
                .append(seconds)
                .append(" s\n\ninputs per category:\n");
        perCategory.forEach((k, v) -> report.append(String.format(Locale.ROOT, "  %-26s %4d%n", k, v)));
        report.append("\nanswers per code:\n");
        perAnswer.forEach((k, v) -> report.append(String.format(Locale.ROOT, "  %-26s %4d%n", k, v)));
        report.append("\nmismatches: ").append(failures.size()).append('\n');
        failures.forEach(f -> report.append("  ").append(f).append('\n'));
        System.out.println(report);
        Path target = Path.of(System.getProperty("coord.jar", "target/coord.jar"))
                .toAbsolutePath()
                .getParent();
        Files.writeString(target.resolve("bad-input-report.txt"), report.toString());

        assertThat(failures).as(report.toString()).isEmpty();
        synchronized (stdout) {
            assertThat(protocolViolations)
                    .as("stdout lines that are not JSON-RPC 2.0 objects")
                    .isEmpty();
            assertThat(stdout).isNotEmpty();
        }
        assertThat(snapshotOutside(base, repo))
                .as("files outside the repository")
                .isEqualTo(before);
        assertStateFilesMatchSchemas(repo.resolve(".claude/coordination"));
    }

    /**
     * Sends one input and then a valid {@code status} request; waits for the probe's answer and, when the input
     * carried an id, for the answer to it.
     *
     * @return the kind of answer to the input: a JSON-RPC error code, a tool error code, NOT_HELD, ok or none
     */
    private String exchange(OutputStream in, byte[] line, String inputId, String probeId)
            throws IOException, InterruptedException {
        in.write(line);
        in.write('\n');
        in.write(("{\"jsonrpc\":\"2.0\",\"id\":\"" + probeId
                        + "\",\"method\":\"tools/call\",\"params\":{\"name\":\"status\",\"arguments\":{}}}\n")
                .getBytes(StandardCharsets.UTF_8));
        in.flush();
        long deadline = System.currentTimeMillis() + PER_INPUT_MILLIS;
        List<JsonNode> answers = new ArrayList<>();
        JsonNode probe = null;
        JsonNode answer = null;
        while (probe == null || (inputId != null && answer == null)) {
            long left = deadline - System.currentTimeMillis();
            JsonNode m = left <= 0 ? null : messages.poll(left, TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no answer within " + PER_INPUT_MILLIS + " ms (probe answered: "
                        + (probe != null) + ", answers so far: " + answers + ")");
            }
            if (m.has("reader_failed")) {
                throw new AssertionError("stdout ended or broke: " + m);
            }
            String id = m.path("id").isString() ? m.path("id").asString() : null;
            if (probeId.equals(id)) {
                probe = m;
            } else {
                answers.add(m);
                if (inputId != null && inputId.equals(id)) {
                    answer = m;
                }
            }
        }
        JsonNode you = probe.path("result").path("structuredContent").path("you");
        if (probe.path("result").path("isError").asBoolean(false)
                || !you.path("instance_id").asString("").startsWith("claude-")) {
            throw new AssertionError("the status after the input was not answered correctly: " + probe);
        }
        if (answers.isEmpty()) {
            return "none";
        }
        if (answers.size() > 1) {
            throw new AssertionError("more than one answer: " + answers);
        }
        return kind(answers.get(0));
    }

    /** The id the input's answer carries when it reaches the SDK, else null. */
    private static String answerId(JsonNode spec, String id) {
        if (spec.has("answer_id")) {
            return spec.path("answer_id").asString();
        }
        boolean request = spec.has("request") && !spec.path("no_id").asBoolean(false);
        return spec.has("tool") || request ? id : null;
    }

    private static String kind(JsonNode m) {
        if (m.has("error")) {
            return String.valueOf(m.path("error").path("code").asInt());
        }
        JsonNode result = m.path("result");
        if (result.path("isError").asBoolean(false)) {
            String text = result.path("content").path(0).path("text").asString("");
            int colon = text.indexOf(':');
            String code = colon > 0 ? text.substring(0, colon) : text;
            return code.matches("[A-Z_]+") ? code : "isError without a code: " + shorten(text);
        }
        JsonNode content = result.path("structuredContent");
        JsonNode notHeld = content.path("not_held");
        if (notHeld.isArray() && !notHeld.isEmpty() && content.path("released").isEmpty()) {
            for (JsonNode n : notHeld) {
                if (!"NOT_HELD".equals(n.path("code").asString())) {
                    return "not_held with " + n;
                }
            }
            return "NOT_HELD";
        }
        return "ok " + shorten(m.toString());
    }

    private List<Entry> corpus() throws IOException {
        List<Entry> out = new ArrayList<>();
        try (InputStream in = BadInputIT.class.getResourceAsStream(CORPUS)) {
            assertThat(in).as(CORPUS).isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                JsonNode spec = JSON.readTree(lines.get(i));
                out.add(new Entry(
                        i + 1,
                        spec.path("category").asString(),
                        spec.path("expect").asString(),
                        spec));
            }
        }
        return out;
    }

    private static byte[] bytes(Entry e, String id, Map<String, String> vars) {
        JsonNode spec = e.spec();
        if (spec.has("raw")) {
            return spec.path("raw").asString().getBytes(StandardCharsets.UTF_8);
        }
        if (spec.has("gen")) {
            return generated(spec.path("gen").asString());
        }
        ObjectNode msg = JSON.createObjectNode().put("jsonrpc", "2.0");
        if (spec.has("tool")) {
            msg.put("id", id).put("method", "tools/call");
            ObjectNode params = msg.putObject("params");
            params.put("name", spec.path("tool").asString());
            params.set("arguments", substitute(spec.path("arguments"), vars));
        } else {
            JsonNode request = spec.path("request");
            if (!spec.path("no_id").asBoolean(false)) {
                msg.put("id", id);
            }
            msg.put("method", request.path("method").asString());
            if (request.has("params")) {
                msg.set("params", substitute(request.path("params"), vars));
            }
        }
        return JSON.writeValueAsBytes(msg);
    }

    private static JsonNode substitute(JsonNode node, Map<String, String> vars) {
        if (node.isString()) {
            String s = node.asString();
            for (Map.Entry<String, String> v : vars.entrySet()) {
                s = s.replace(v.getKey(), v.getValue());
            }
            return StringNode.valueOf(s);
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(substitute(n, vars)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(p -> out.set(p.getKey(), substitute(p.getValue(), vars)));
            return out;
        }
        return node;
    }

    /** Inputs that cannot be written as a line of text in the corpus. */
    static byte[] generated(String name) {
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":\"g\",\"method\":\"ping\"}";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        switch (name) {
            case "invalid-utf8-lone-continuation":
                return concat(new byte[] {(byte) 0x80}, ping.getBytes(StandardCharsets.UTF_8));
            case "invalid-utf8-truncated":
                return concat(ping.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE2, (byte) 0x82});
            case "invalid-utf8-overlong":
                return utf8With(new byte[] {(byte) 0xC0, (byte) 0xAF});
            case "invalid-utf8-surrogate":
                return utf8With(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
            case "invalid-utf8-in-string":
                return utf8With(new byte[] {(byte) 0xFF, (byte) 0xFE});
            case "bom-then-garbage":
                return concat(bom, "garbage".getBytes(StandardCharsets.UTF_8));
            case "bom-then-empty-object":
                return concat(bom, "{}".getBytes(StandardCharsets.UTF_8));
            case "double-bom":
                return concat(concat(bom, bom), ping.getBytes(StandardCharsets.UTF_8));
            case "utf16-bom":
                return concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, ping.getBytes(StandardCharsets.UTF_16BE));
            case "utf16be-no-bom":
                return ping.getBytes(StandardCharsets.UTF_16BE);
            case "utf16le-no-bom":
                return ping.getBytes(StandardCharsets.UTF_16LE);
            case "utf32be-no-bom":
                return ping.getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
            case "utf32le-no-bom":
                return ping.getBytes(java.nio.charset.Charset.forName("UTF-32LE"));
            case "nesting-10000-arrays":
                return ("{\"jsonrpc\":\"2.0\",\"id\":\"g\",\"method\":\"ping\",\"params\":{\"x\":" + "[".repeat(10_000)
                                + "]".repeat(10_000) + "}}")
                        .getBytes(StandardCharsets.UTF_8);
            case "nesting-10000-objects":
                return ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
            case "nesting-10000-in-params":
                return ("{\"jsonrpc\":\"2.0\",\"id\":\"g\",\"method\":\"tools/call\",\"params\":{\"name\":\"status\","
                                + "\"arguments\":" + "{\"p\":".repeat(10_000) + "{}" + "}".repeat(10_000) + "}}")
                        .getBytes(StandardCharsets.UTF_8);
            case "huge-line-4MiB-plus-1":
                return "x".repeat(4 * 1024 * 1024 + 1).getBytes(StandardCharsets.UTF_8);
            case "huge-line-6MiB-request":
                return ("{\"jsonrpc\":\"2.0\",\"id\":\"g\",\"method\":\"tools/call\",\"params\":{\"name\":\"log_decision\","
                                + "\"arguments\":{\"category\":\"c\",\"title\":\"t\",\"description\":\""
                                + "d".repeat(6 * 1024 * 1024) + "\"}}}")
                        .getBytes(StandardCharsets.UTF_8);
            case "huge-number":
                return ("{\"jsonrpc\":\"2.0\",\"id\":\"g\",\"method\":\"ping\",\"params\":{\"n\":"
                                + "9".repeat(2_000_000) + "}}")
                        .getBytes(StandardCharsets.UTF_8);
            case "description-1MiB":
                return ("{\"jsonrpc\":\"2.0\",\"id\":\"bi-gen\",\"method\":\"tools/call\",\"params\":{\"name\":"
                                + "\"log_decision\",\"arguments\":{\"category\":\"c\",\"title\":\"t\",\"description\":\""
                                + "d".repeat(1024 * 1024) + "\"}}}")
                        .getBytes(StandardCharsets.UTF_8);
            default:
                throw new IllegalArgumentException("unknown generator " + name);
        }
    }

    private static byte[] utf8With(byte[] bad) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"id\":\"g\",\"method\":\"ping\",\"params\":{\"s\":\""
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bad);
        out.writeBytes("\"}}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
    }

    private OutputStream start(Path repo) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                CoordProcess.java(), "-jar", CoordProcess.jar().toString());
        pb.environment().put("CLAUDE_PROJECT_DIR", repo.toString());
        pb.redirectError(base.resolve("stderr.log").toFile());
        process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    JsonNode msg;
                    try {
                        msg = JSON.readTree(line);
                    } catch (RuntimeException e) {
                        msg = null;
                    }
                    synchronized (stdout) {
                        stdout.add(line);
                        if (msg == null
                                || !msg.isObject()
                                || !"2.0".equals(msg.path("jsonrpc").asString(""))) {
                            protocolViolations.add(shorten(line));
                        }
                    }
                    if (msg != null) {
                        messages.add(msg);
                    }
                }
                messages.add(JSON.createObjectNode().put("reader_failed", "end of stdout"));
            } catch (Exception e) {
                messages.add(JSON.createObjectNode().put("reader_failed", e.toString()));
            }
        });
        reader.setDaemon(true);
        reader.start();
        return process.getOutputStream();
    }

    private void initialize(OutputStream in) throws Exception {
        in.write(("{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bad-input\",\"version\":\"1\"}}}\n"
                        + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        in.flush();
        JsonNode init = messages.poll(30, TimeUnit.SECONDS);
        assertThat(init).as("initialize answered").isNotNull();
        assertThat(init.path("result").path("serverInfo").path("name").asString())
                .as(init.toString())
                .isEqualTo("coord");
    }

    /** Size, SHA-256 and time of every file under {@code base} but outside {@code repo}, the link, /etc/passwd. */
    private static Map<String, String> snapshotOutside(Path base, Path repo) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (p.startsWith(repo)) {
                    continue;
                }
                if (p.getFileName() != null && p.getFileName().toString().equals("stderr.log")) {
                    continue;
                }
                out.put(base.relativize(p).toString(), describe(p));
            }
        }
        Path link = repo.resolve("link");
        out.put("repo/link -> ", Files.readSymbolicLink(link).toString());
        Path passwd = Path.of("/etc/passwd");
        if (Files.exists(passwd)) {
            out.put("/etc/passwd", describe(passwd));
        }
        return out;
    }

    private static String describe(Path p) throws Exception {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "dir"; // a new or removed entry shows up as a path of its own
        }
        byte[] content = Files.readAllBytes(p);
        return "file " + content.length + " "
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)) + " "
                + Files.getLastModifiedTime(p);
    }

    @SuppressWarnings("unchecked")
    static void assertStateFilesMatchSchemas(Path state) throws Exception {
        JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();
        Map<String, String> documents = new LinkedHashMap<>();
        documents.put("registry.json", "registry.schema.json");
        documents.put("locks.json", "locks.schema.json");
        for (Map.Entry<String, String> d : documents.entrySet()) {
            conforms(validator, d.getValue(), Files.readString(state.resolve(d.getKey())), d.getKey());
        }
        Map<String, String> logs =
                Map.of("decisions.jsonl", "decision.schema.json", "audit.jsonl", "audit-event.schema.json");
        for (Map.Entry<String, String> l : logs.entrySet()) {
            Path file = state.resolve(l.getKey());
            if (!Files.exists(file)) {
                continue;
            }
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                conforms(validator, l.getValue(), line, l.getKey() + " line " + (++n));
            }
        }
        assertThat(Files.readAllLines(state.resolve("audit.jsonl"), StandardCharsets.UTF_8))
                .as("audit log")
                .isNotEmpty();
    }

    @SuppressWarnings("unchecked")
    private static void conforms(JsonSchemaValidator validator, String schemaFile, String json, String what)
            throws IOException {
        Map<String, Object> schema;
        try (InputStream in = BadInputIT.class.getClassLoader().getResourceAsStream("schemas/state/" + schemaFile)) {
            assertThat(in).as(schemaFile).isNotNull();
            schema = JSON.readValue(in, Map.class);
        }
        Object doc = JSON.readValue(json, Object.class);
        var result = validator.validate(schema, doc);
        assertThat(result.valid())
                .as("%s against %s: %s%n%s", what, schemaFile, result.errorMessage(), shorten(json))
                .isTrue();
    }
}
