package dev.coord.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's HTTP server over a fake source: access checks, the live feed's diffs, the actions' checks. */
class DashboardServerTest {
    /** A source whose sections the test sets, counting reads and recording actions. */
    static final class FakeSource implements DashboardSource {
        final Map<String, Object> sections = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        final List<String> actions = new CopyOnWriteArrayList<>();

        @Override
        public Map<String, Object> read() {
            reads.incrementAndGet();
            return new LinkedHashMap<>(new java.util.TreeMap<>(sections));
        }

        @Override
        public Object searchDecisions(String text, String category) {
            // An ordered map: Map.of iterates in a per-run order, and the test compares JSON text.
            return List.of(new java.util.TreeMap<>(
                    Map.of("text", String.valueOf(text), "category", String.valueOf(category))));
        }

        @Override
        public Object forceRelease(String path, String reason) {
            actions.add("release " + path + " / " + reason);
            if (path.equals("busy")) {
                throw new CoordException(ErrorCode.CONFLICT, "busy is busy");
            }
            return Map.of("message", "released " + path);
        }

        @Override
        public Object giveBack(String missionId, String reason) {
            actions.add("give-back " + missionId + " / " + reason);
            return Map.of("message", "back");
        }

        @Override
        public Object sendMessage(String to, String subject, String body) {
            actions.add("send " + to + " / " + subject + " / " + body);
            if (to.equals("nobody")) {
                throw new CoordException(ErrorCode.NOT_FOUND, "no live session has the id or role nobody");
            }
            return Map.of("message", "sent to " + to);
        }
    }

    FakeSource source;
    DashboardServer server;
    HttpClient http;
    String cookie;

    @BeforeEach
    void start() {
        source = new FakeSource();
        source.sections.put("locks", List.of());
        source.sections.put("sessions", List.of(Map.of("id", "a")));
        server = DashboardServer.start(source, 0, 20);
        http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String token = server.url().substring(server.url().indexOf("token=") + 6);
        cookie = "coord_dashboard_" + server.port() + "=" + token;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder action(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base() + path))
                .header("Cookie", cookie)
                .header("X-Coord-Token", token())
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    String token() {
        return cookie.substring(cookie.indexOf('=') + 1);
    }

    @Test
    void anIdleDashboardReadsNothing() throws Exception {
        waitForPollerToWait();
        assertThat(source.reads.get()).isZero();
        // A plain state request reads once and does not start the poller.
        assertThat(send(HttpRequest.newBuilder(URI.create(base() + "/api/state"))
                                .header("Cookie", cookie))
                        .body())
                .isEqualTo("{\"locks\":[],\"sessions\":[{\"id\":\"a\"}]}");
        assertThat(source.reads.get()).isEqualTo(1);
        waitForPollerToWait();
        assertThat(source.reads.get()).isEqualTo(1);
    }

    private void waitForPollerToWait() throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (server.feed().pollerState() != Thread.State.WAITING && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(server.feed().pollerState()).isEqualTo(Thread.State.WAITING);
    }

    @Test
    void aPageGetsEverySectionThenOnlyTheSectionsThatChanged() throws Exception {
        HttpResponse<InputStream> res = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/events"))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            assertThat(nextData(r)).isEqualTo("{\"locks\":[],\"sessions\":[{\"id\":\"a\"}]}");
            source.sections.put("locks", List.of(Map.of("path", "src/A.java")));
            assertThat(nextData(r)).isEqualTo("{\"locks\":[{\"path\":\"src/A.java\"}]}");
            source.sections.put("sessions", List.of());
            assertThat(nextData(r)).isEqualTo("{\"sessions\":[]}");
            assertThat(server.feed().connected()).isEqualTo(1);
            // The audit log grows at its head: a page gets only the new events.
            source.sections.put("audit", List.of(Map.of("e", 2), Map.of("e", 1)));
            assertThat(nextData(r)).isEqualTo("{\"audit\":[{\"e\":2},{\"e\":1}]}");
            source.sections.put("audit", List.of(Map.of("e", 4), Map.of("e", 3), Map.of("e", 2), Map.of("e", 1)));
            assertThat(nextData(r)).isEqualTo("{\"audit+\":[{\"e\":4},{\"e\":3}]}");
            // A log that no longer holds the old head (rotated) comes whole.
            source.sections.put("audit", List.of(Map.of("e", 9)));
            assertThat(nextData(r)).isEqualTo("{\"audit\":[{\"e\":9}]}");
        }
    }

    private static String nextData(BufferedReader r) throws Exception {
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
        throw new AssertionError("the stream ended");
    }

    @Test
    void actionsNeedTheHeaderTokenAReasonAndAJsonObject() throws Exception {
        HttpResponse<String> ok = send(action("/api/release", "{\"path\":\" src/A.java \",\"reason\":\" stuck \"}"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"message\":\"released src/A.java\"}");
        assertThat(send(action("/api/give-back", "{\"mission_id\":\"m1\",\"reason\":\"gone\"}"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(source.actions).containsExactly("release src/A.java / stuck", "give-back m1 / gone");

        HttpResponse<String> conflict = send(action("/api/release", "{\"path\":\"busy\",\"reason\":\"x\"}"));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.body()).contains("busy is busy").contains("CONFLICT");

        assertThat(send(action("/api/release", "{\"path\":\"a\"}")).body()).contains("reason is required");
        assertThat(send(action("/api/release", "{\"path\":\"a\",\"reason\":7}")).body())
                .contains("reason is required");
        assertThat(send(action("/api/give-back", "{\"reason\":\"r\"}")).body()).contains("mission_id is required");
        HttpResponse<String> longReason =
                send(action("/api/release", "{\"path\":\"a\",\"reason\":\"" + "r".repeat(501) + "\"}"));
        assertThat(longReason.statusCode()).isEqualTo(400);
        assertThat(longReason.body()).contains("reason is 501 characters long; at most 500");
        assertThat(send(action("/api/release", "[1]")).body()).contains("must be a JSON object");
        HttpResponse<String> big = send(action("/api/release", "{\"path\":\"" + "a".repeat(9000) + "\"}"));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(source.actions).hasSize(3);

        HttpResponse<String> noHeader = send(HttpRequest.newBuilder(URI.create(base() + "/api/release"))
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"a\",\"reason\":\"r\"}")));
        assertThat(noHeader.statusCode()).isEqualTo(403);
        HttpResponse<String> wrongHeader = send(HttpRequest.newBuilder(URI.create(base() + "/api/release"))
                .header("Cookie", cookie)
                .header("X-Coord-Token", token() + "x")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"a\",\"reason\":\"r\"}")));
        assertThat(wrongHeader.statusCode()).isEqualTo(403);
        assertThat(source.actions).hasSize(3);
    }

    @Test
    void sendingAMessageNeedsTheHeaderTokenAnAddressAndABodyWithinItsLimit() throws Exception {
        HttpResponse<String> ok = send(action("/api/send", "{\"to\":\"backend\",\"body\":\" stop the deploy \"}"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"message\":\"sent to backend\"}");
        send(action("/api/send", "{\"to\":\"all\",\"subject\":\"hi\",\"body\":\"b\"}"));
        assertThat(source.actions).containsExactly("send backend / null / stop the deploy", "send all / hi / b");

        HttpResponse<String> nobody = send(action("/api/send", "{\"to\":\"nobody\",\"body\":\"b\"}"));
        assertThat(nobody.statusCode()).isEqualTo(404);
        assertThat(nobody.body()).contains("no live session has the id or role nobody");
        assertThat(send(action("/api/send", "{\"body\":\"b\"}")).body()).contains("to is required");
        HttpResponse<String> longBody =
                send(action("/api/send", "{\"to\":\"a\",\"body\":\"" + "x".repeat(4097) + "\"}"));
        assertThat(longBody.statusCode()).isEqualTo(400);
        assertThat(longBody.body()).contains("body is 4097 characters long; at most 4096");
        HttpResponse<String> noHeader = send(HttpRequest.newBuilder(URI.create(base() + "/api/send"))
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"a\",\"body\":\"b\"}")));
        assertThat(noHeader.statusCode()).isEqualTo(403);
        assertThat(source.actions).hasSize(3);
    }

    @Test
    void originsOfThisServerPassAndOthersAreRefused() throws Exception {
        List<Integer> codes = new ArrayList<>();
        for (String origin : List.of(
                "http://127.0.0.1:" + server.port(),
                "http://localhost:" + server.port(),
                "http://127.0.0.1:" + (server.port() + 1),
                "https://127.0.0.1:" + server.port(),
                "null",
                "http://127.0.0.1.evil.example:" + server.port())) {
            codes.add(send(HttpRequest.newBuilder(URI.create(base() + "/api/decisions?text=a%20b&category=x"))
                            .header("Cookie", cookie)
                            .header("Origin", origin))
                    .statusCode());
        }
        assertThat(codes).containsExactly(200, 200, 403, 403, 403, 403);
        // A malformed address never reaches the dashboard: the JDK's server answers 400 itself, with no cookie.
        // (java.net.URI refuses to build such an address, so the request is written by hand.)
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", server.port())) {
            sock.setSoTimeout(20_000);
            sock.getOutputStream()
                    .write(("GET /?token=%zz HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String response = new String(sock.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").doesNotContainIgnoringCase("Set-Cookie");
        }
        assertThat(send(HttpRequest.newBuilder(URI.create(base() + "/api/decisions?text=a%20b&category=x"))
                                .header("Cookie", cookie))
                        .body())
                .isEqualTo("[{\"category\":\"x\",\"text\":\"a b\"}]");
    }

    @Test
    void thePageShipsWithItsTokenAndWeighsUnder100Kb() throws Exception {
        HttpResponse<String> page =
                send(HttpRequest.newBuilder(URI.create(base() + "/")).header("Cookie", cookie));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<meta name=\"coord-token\" content=\"" + token() + "\">");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'")
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'"));
        long total = page.body().getBytes(StandardCharsets.UTF_8).length;
        for (String asset : List.of("/app.js", "/app.css")) {
            HttpResponse<String> r =
                    send(HttpRequest.newBuilder(URI.create(base() + asset)).header("Cookie", cookie));
            assertThat(r.statusCode()).isEqualTo(200);
            total += r.body().getBytes(StandardCharsets.UTF_8).length;
        }
        assertThat(total).as("page, script and styles in bytes").isLessThan(100 * 1024);
        assertThat(page.body()).doesNotContain("http://").doesNotContain("https://");
        assertThat(send(HttpRequest.newBuilder(URI.create(base() + "/nope")).header("Cookie", cookie))
                        .statusCode())
                .isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(URI.create(base() + "/app.js"))).statusCode())
                .as("assets need the token too")
                .isEqualTo(403);
    }
}
