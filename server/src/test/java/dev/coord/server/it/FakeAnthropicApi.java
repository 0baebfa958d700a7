package dev.coord.server.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted stand-in for the Anthropic Messages API on 127.0.0.1, for driving real Claude Code sessions
 * deterministically. Each session's first prompt carries a marker {@code [[coord-session:KEY]]} (see {@link
 * #marker}); requests are routed to that key's {@link Script}. The turn answered is the number of assistant
 * messages already in the request (every scripted answer is one content block, so one assistant message), which
 * makes the choice stateless and correct across several prompts of one session. Requests without the main tool
 * set (title generation and other side calls) get a short text and do not advance the script. Every request is
 * recorded with its arrival time and the time its answer was fully sent, so tests can assert on exactly what the
 * model was told and benchmarks can time what happens after an answer.
 */
public final class FakeAnthropicApi implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern MARKER = Pattern.compile("\\[\\[coord-session:([A-Za-z0-9_-]+)]]");

    /** One recorded main-loop request of a session and when its answer left. */
    public record Exchange(int turn, JsonNode body, Instant received, Instant answered) {}

    /** A scripted answer: a tool call or a final text; {@code gate} is awaited before answering. */
    record Step(String tool, String inputJson, String text, CountDownLatch gate) {}

    /** The turns of one session, in order; the last should be a text. */
    public final class Script {
        final String key;
        final List<Step> steps = new CopyOnWriteArrayList<>();
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        final Map<Integer, JsonNode> arrived = new ConcurrentHashMap<>();
        /** What went wrong for this session: turns past the script's end, gates never opened. */
        public final List<String> problems = new CopyOnWriteArrayList<>();

        private CountDownLatch nextGate;

        Script(String key) {
            this.key = key;
        }

        /** The model calls {@code tool} with this input (a map or record serialised to JSON). */
        public Script tool(String tool, Object input) {
            steps.add(new Step(tool, JSON.writeValueAsString(input), null, takeGate()));
            return this;
        }

        /** The model answers with text and ends its turn. */
        public Script text(String text) {
            steps.add(new Step(null, null, text, takeGate()));
            return this;
        }

        /** The next step is answered only once {@code gate} opens (bounded by the API's gate timeout). */
        public Script after(CountDownLatch gate) {
            nextGate = gate;
            return this;
        }

        private CountDownLatch takeGate() {
            CountDownLatch g = nextGate;
            nextGate = null;
            return g;
        }

        /** The main-loop requests received so far, in order. */
        public List<Exchange> exchanges() {
            return List.copyOf(exchanges);
        }

        /** Waits until the request for {@code turn} (0-based) has arrived (answered or not); returns its body. */
        public JsonNode awaitTurn(int turn, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (this) {
                while (true) {
                    JsonNode body = arrived.get(turn);
                    if (body != null) {
                        return body;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("session " + key + " never asked for turn " + turn + " within "
                                + timeout + "; requests so far: " + exchanges.size() + "; problems: " + problems
                                + FakeAnthropicApi.this.problems);
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-anthropic-api");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<JsonNode> sideRequests = new CopyOnWriteArrayList<>();
    /** Requests the API could not serve: unknown paths, main requests without a known session. */
    public final List<String> problems = new CopyOnWriteArrayList<>();

    private final AtomicInteger ids = new AtomicInteger();
    private volatile Duration gateTimeout = Duration.ofSeconds(60);

    private FakeAnthropicApi(HttpServer server) {
        this.server = server;
    }

    /** Starts the API on an ephemeral port of 127.0.0.1. */
    public static FakeAnthropicApi start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        FakeAnthropicApi api = new FakeAnthropicApi(server);
        server.createContext("/", api::handle);
        server.setExecutor(api.pool);
        server.start();
        return api;
    }

    /** The value for {@code ANTHROPIC_BASE_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The text to put in a session's first prompt so its requests reach the script {@code key}. */
    public static String marker(String key) {
        return "[[coord-session:" + key + "]]";
    }

    /** A new, empty script for the session whose prompt carries {@link #marker}{@code (key)}. */
    public Script script(String key) {
        Script s = new Script(key);
        if (scripts.putIfAbsent(key, s) != null) {
            throw new IllegalArgumentException("script " + key + " exists already");
        }
        return s;
    }

    public void gateTimeout(Duration timeout) {
        this.gateTimeout = timeout;
    }

    public List<JsonNode> sideRequests() {
        return List.copyOf(sideRequests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            Instant received = Instant.now();
            String path = ex.getRequestURI().getPath();
            if (!"POST".equals(ex.getRequestMethod()) || !path.equals("/v1/messages")) {
                problems.add("unexpected request " + ex.getRequestMethod() + " " + ex.getRequestURI());
                ex.sendResponseHeaders(404, -1);
                return;
            }
            JsonNode body = JSON.readTree(raw);
            if (!isMainLoop(body)) {
                sideRequests.add(body);
                sendStream(ex, body, null, "ok");
                return;
            }
            Matcher m = MARKER.matcher(body.path("messages").toString());
            Script script = m.find() ? scripts.get(m.group(1)) : null;
            if (script == null) {
                problems.add("main request without a known session marker: "
                        + abbreviate(body.path("messages").toString()));
                sendStream(ex, body, null, "no script for this session");
                return;
            }
            int turn = 0;
            for (JsonNode msg : body.path("messages")) {
                if ("assistant".equals(msg.path("role").asString())) {
                    turn++;
                }
            }
            synchronized (script) {
                script.arrived.putIfAbsent(turn, body);
                script.notifyAll();
            }
            Step step;
            if (turn < script.steps.size()) {
                step = script.steps.get(turn);
            } else {
                script.problems.add("session " + script.key + " asked for turn " + turn + " but its script has "
                        + script.steps.size());
                step = new Step(null, null, "script exhausted", null);
            }
            if (step.gate() != null && !step.gate().await(gateTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                script.problems.add(
                        "session " + script.key + " turn " + turn + ": gate not opened within " + gateTimeout);
            }
            sendStream(ex, body, step.tool() == null ? null : step, step.text());
            Instant answered = Instant.now();
            synchronized (script) {
                script.exchanges.add(new Exchange(turn, body, received, answered));
                script.notifyAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            problems.add("fake API failed: " + e);
            throw e;
        }
    }

    /** The agent loop sends Claude Code's own tools; side calls (titles, summaries) send none or a few. */
    private static boolean isMainLoop(JsonNode body) {
        for (JsonNode tool : body.path("tools")) {
            if ("Bash".equals(tool.path("name").asString())) {
                return true;
            }
        }
        return false;
    }

    private void sendStream(HttpExchange ex, JsonNode request, Step toolStep, String text) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        String model = request.path("model").asString("claude-fake");
        int n = ids.incrementAndGet();
        StringBuilder sse = new StringBuilder();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", "msg_fake_" + n);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(1));
        ObjectNode start = JSON.createObjectNode();
        start.put("type", "message_start");
        start.set("message", message);
        event(sse, "message_start", start);

        ObjectNode blockStart = JSON.createObjectNode();
        blockStart.put("type", "content_block_start");
        blockStart.put("index", 0);
        ObjectNode block = blockStart.putObject("content_block");
        ObjectNode delta = JSON.createObjectNode();
        delta.put("type", "content_block_delta");
        delta.put("index", 0);
        ObjectNode d = delta.putObject("delta");
        if (toolStep != null) {
            block.put("type", "tool_use");
            block.put("id", "toolu_fake_" + n);
            block.put("name", toolStep.tool());
            block.putObject("input");
            d.put("type", "input_json_delta");
            d.put("partial_json", toolStep.inputJson());
        } else {
            block.put("type", "text");
            block.put("text", "");
            d.put("type", "text_delta");
            d.put("text", text);
        }
        event(sse, "content_block_start", blockStart);
        event(sse, "content_block_delta", delta);
        ObjectNode blockStop = JSON.createObjectNode();
        blockStop.put("type", "content_block_stop");
        blockStop.put("index", 0);
        event(sse, "content_block_stop", blockStop);

        ObjectNode messageDelta = JSON.createObjectNode();
        messageDelta.put("type", "message_delta");
        ObjectNode md = messageDelta.putObject("delta");
        md.put("stop_reason", toolStep != null ? "tool_use" : "end_turn");
        md.putNull("stop_sequence");
        messageDelta.set("usage", usage(5));
        event(sse, "message_delta", messageDelta);
        ObjectNode stop = JSON.createObjectNode();
        stop.put("type", "message_stop");
        event(sse, "message_stop", stop);

        OutputStream out = ex.getResponseBody();
        out.write(sse.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.close();
    }

    private static ObjectNode usage(int outputTokens) {
        ObjectNode u = JSON.createObjectNode();
        u.put("input_tokens", 10);
        u.put("output_tokens", outputTokens);
        u.put("cache_creation_input_tokens", 0);
        u.put("cache_read_input_tokens", 0);
        return u;
    }

    private static void event(StringBuilder sse, String name, JsonNode data) {
        sse.append("event: ").append(name).append('\n');
        sse.append("data: ").append(JSON.writeValueAsString(data)).append("\n\n");
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
