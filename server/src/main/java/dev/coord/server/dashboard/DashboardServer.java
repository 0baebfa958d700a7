package dev.coord.server.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's HTTP server: the JDK's {@link HttpServer} on 127.0.0.1. Every request passes the {@link AccessGuard}
 * first; a refused one gets 403 with an empty body. Routes: {@code /} (the page), {@code /app.js}, {@code /app.css},
 * {@code /events} (server-sent events), {@code /api/state}, {@code /api/decisions}, and the actions
 * {@code POST /api/release}, {@code POST /api/give-back} and {@code POST /api/send}.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    static final String RESOURCES = "/dev/coord/server/dashboard/";
    /** At most this many pages at once: each holds a thread while connected. */
    static final int MAX_PAGES = 16;

    static final int MAX_BODY = 8 * 1024;
    static final int MAX_REASON = 500;
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final HttpServer http;
    private final ExecutorService pool;
    private final AccessGuard guard;
    private final LiveFeed feed;
    private final DashboardSource source;
    private final AtomicInteger pages = new AtomicInteger();
    private final long keepAliveMillis;

    private DashboardServer(HttpServer http, AccessGuard guard, DashboardSource source, long pollMillis) {
        this.http = http;
        this.guard = guard;
        this.source = source;
        this.feed = new LiveFeed(source, pollMillis, Set.of("audit"));
        this.keepAliveMillis = 15_000;
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "coord-dashboard-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/", this::handle);
    }

    /**
     * Starts a dashboard on 127.0.0.1.
     *
     * @param port the port, or 0 for any free one
     * @param pollMillis how often the state is read while a page is connected
     */
    public static DashboardServer start(DashboardSource source, int port, long pollMillis) {
        Objects.requireNonNull(source, "source");
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            DashboardServer d = new DashboardServer(
                    http,
                    new AccessGuard(AccessGuard.newToken(), http.getAddress().getPort()),
                    source,
                    pollMillis);
            http.start();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The address to open, with this run's token. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/?token=" + guard.token();
    }

    LiveFeed feed() {
        return feed;
    }

    /** How many polls the feed made and their mean time in microseconds (for measurements). */
    public String pollStats() {
        long n = feed.polls();
        return n + " polls, mean " + (n == 0 ? 0 : feed.pollNanos() / n / 1000) + " µs";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Headers h = ex.getRequestHeaders();
            URI uri = ex.getRequestURI();
            String path = uri.getRawPath();
            String method = ex.getRequestMethod();
            if (!guard.sameOrigin(h)) {
                refuse(ex);
                return;
            }
            if (path.equals("/") && method.equals("GET") && uri.getRawQuery() != null) {
                String t = query(uri.getRawQuery(), "token");
                if (!guard.matches(t)) {
                    refuse(ex);
                    return;
                }
                // Trade the URL's token for a cookie, and take it out of the address bar and the history.
                ex.getResponseHeaders().add("Set-Cookie", guard.setCookie());
                ex.getResponseHeaders().add("Location", "/");
                send(ex, 303, null, new byte[0]);
                return;
            }
            if (!guard.hasCookie(h)) {
                refuse(ex);
                return;
            }
            route(ex, method, path);
        } catch (RuntimeException e) {
            LOG.warn("dashboard request {} failed", ex.getRequestURI().getRawPath(), e);
            if (ex.getResponseCode() < 0) {
                json(ex, 500, Map.of("error", "internal error: " + e));
            }
        }
    }

    private void route(HttpExchange ex, String method, String path) throws IOException {
        boolean post = path.equals("/api/release") || path.equals("/api/give-back") || path.equals("/api/send");
        if (post != method.equals("POST") || !(post || method.equals("GET"))) {
            ex.getResponseHeaders().add("Allow", post ? "POST" : "GET");
            json(ex, 405, Map.of("error", method + " is not allowed on " + path));
            return;
        }
        switch (path) {
            case "/" -> page(ex);
            case "/app.js" -> send(ex, 200, "text/javascript; charset=utf-8", resource("app.js"));
            case "/app.css" -> send(ex, 200, "text/css; charset=utf-8", resource("app.css"));
            case "/events" -> events(ex);
            case "/api/state" -> send(ex, 200, "application/json", bytes(feed.snapshot()));
            case "/api/decisions" -> {
                String q = ex.getRequestURI().getRawQuery();
                json(ex, 200, source.searchDecisions(blankToNull(query(q, "text")), blankToNull(query(q, "category"))));
            }
            case "/api/release", "/api/give-back", "/api/send" -> action(ex, path);
            default -> json(ex, 404, Map.of("error", "no such page: " + path));
        }
    }

    private void page(HttpExchange ex) throws IOException {
        String html = new String(resource("index.html"), StandardCharsets.UTF_8).replace("{{token}}", guard.token());
        send(ex, 200, "text/html; charset=utf-8", bytes(html));
    }

    private void action(HttpExchange ex, String path) throws IOException {
        if (!guard.hasHeader(ex.getRequestHeaders())) {
            refuse(ex);
            return;
        }
        JsonNode body;
        try (InputStream in = ex.getRequestBody()) {
            byte[] raw = in.readNBytes(MAX_BODY + 1);
            if (raw.length > MAX_BODY) {
                json(ex, 413, Map.of("error", "the request body is over " + MAX_BODY + " bytes"));
                return;
            }
            body = Json.mapper().readTree(raw);
        } catch (RuntimeException e) {
            json(ex, 400, Map.of("error", "the request body must be a JSON object"));
            return;
        }
        try {
            if (body == null || !body.isObject()) {
                throw CoordException.invalidArgument("the request body must be a JSON object");
            }
            Object result;
            if (path.equals("/api/send")) {
                JsonNode subject = body.get("subject");
                String subjectText = subject == null
                                || !subject.isString()
                                || subject.asString().isBlank()
                        ? null
                        : required(body, "subject", Message.MAX_SUBJECT);
                result = source.sendMessage(
                        required(body, "to", 4200), subjectText, required(body, "body", Message.MAX_BODY));
            } else {
                String reason = required(body, "reason", MAX_REASON);
                result = path.equals("/api/release")
                        ? source.forceRelease(required(body, "path", 4096), reason)
                        : source.giveBack(required(body, "mission_id", 200), reason);
            }
            json(ex, 200, result);
        } catch (CoordException e) {
            int status =
                    switch (e.code()) {
                        case INVALID_ARGUMENT, INVALID_PATH -> 400;
                        case NOT_FOUND -> 404;
                        case STORE_UNAVAILABLE, INTERNAL -> 503;
                        default -> 409;
                    };
            json(ex, status, Map.of("error", e.getMessage(), "code", e.code()));
        }
    }

    private static String required(JsonNode body, String field, int max) {
        JsonNode v = body.get(field);
        if (v == null || !v.isString() || v.asString().isBlank()) {
            throw CoordException.invalidArgument(field + " is required: a non-empty string");
        }
        String s = v.asString().strip();
        if (s.length() > max) {
            throw new CoordException(
                    ErrorCode.INVALID_ARGUMENT, field + " is " + s.length() + " characters long; at most " + max);
        }
        return s;
    }

    /** Server-sent events: every section at once, then the sections that changed, until the page goes away. */
    private void events(HttpExchange ex) throws IOException {
        if (pages.incrementAndGet() > MAX_PAGES) {
            pages.decrementAndGet();
            json(ex, 503, Map.of("error", "too many dashboard pages are open (at most " + MAX_PAGES + ")"));
            return;
        }
        LiveFeed.Subscriber sub = null;
        try {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
            common(ex.getResponseHeaders());
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(bytes("retry: 1000\n\n"));
            out.flush();
            sub = feed.subscribe();
            while (!sub.overflowed) {
                String event = sub.next(keepAliveMillis);
                // A comment line keeps proxies and the browser's idle timers quiet, and finds pages that left.
                out.write(bytes(event == null ? ": keep-alive\n\n" : "data: " + event + "\n\n"));
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("dashboard page left: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (sub != null) {
                feed.unsubscribe(sub);
            }
            pages.decrementAndGet();
        }
    }

    private static void refuse(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(403, -1);
    }

    private static void json(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, "application/json", Json.mapper().writeValueAsBytes(value));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        Headers rh = ex.getResponseHeaders();
        if (type != null) {
            rh.add("Content-Type", type);
        }
        common(rh);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private static void common(Headers rh) {
        rh.add("Cache-Control", "no-store");
        rh.add("X-Content-Type-Options", "nosniff");
        rh.add("Referrer-Policy", "no-referrer");
        rh.add("X-Frame-Options", "DENY");
        rh.add("Content-Security-Policy", CSP);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCES + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    static String query(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(name)) {
                try {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null; // a malformed escape: as if the parameter were missing
                }
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        feed.close();
        http.stop(0);
        pool.shutdownNow();
    }
}
