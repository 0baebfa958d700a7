package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.git.Overlap;
import dev.coord.engine.git.RadarCache;
import dev.coord.engine.git.RadarResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: headless Chromium from the system's packages, driven through the system's
 * chromedriver (nothing is downloaded), against two real coord servers and a real {@code coord dashboard} process on a
 * scratch repository.
 */
class DashboardBrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static final Map<String, String> NO_RADAR = Map.of("COORD_RADAR_INTERVAL", "0");

    @TempDir
    Path repo;

    @TempDir
    Path profile;

    /** Skips loudly in a local run without the browser; fails in CI ({@code COORD_REQUIRE_CLIENTS=true}). */
    static void requireBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (present) {
            return;
        }
        String why = "DashboardBrowserIT needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian packages chromium and chromium-driver; .ci/run installs them)";
        if ("true".equals(System.getenv("COORD_REQUIRE_CLIENTS"))) {
            throw new AssertionError(why + ", and COORD_REQUIRE_CLIENTS=true forbids skipping");
        }
        System.err.println("\n*** SKIPPED: " + why + " ***\n");
        Assumptions.abort(why);
    }

    ChromeDriver browser() {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1440,1200",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, o);
    }

    void scratchRepository() throws Exception {
        Process git = new ProcessBuilder("git", "init", "-q", "-b", "feature/parser", repo.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(git.waitFor()).as("git init").isZero();
        Files.createDirectories(repo.resolve("src/parser"));
        Files.writeString(repo.resolve("src/A.java"), "class A {}\n");
        Files.writeString(repo.resolve("src/parser/Lexer.java"), "class Lexer {}\n");
        Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("docs/parser.md"), "# Parser\n");
        Path queue = Files.createDirectories(repo.resolve("missions/queue"));
        Files.writeString(queue.resolve("parser.md"), mission("2026-12-07-parser", "Rewrite the parser", 1, "[]"));
        Files.writeString(
                queue.resolve("docs.md"), mission("2026-12-07-docs", "Document the parser", 2, "[2026-12-07-parser]"));
    }

    static String mission(String id, String title, int priority, String dependsOn) {
        return "---\nmission_id: " + id + "\nstatus: QUEUED\npriority: " + priority + "\ndepends_on: " + dependsOn
                + "\n---\n\n# " + title + "\n";
    }

    @Test
    @SuppressWarnings("unchecked")
    void pageShowsSessionsLiveAndForceReleaseReachesTheHolder() throws Exception {
        requireBrowser();
        scratchRepository();
        // The servers' own radar is off: the overlaps on the page come from the radar.json this test writes (the
        // radar writing it from real worktrees is GitRadarIT's job; the dashboard reads that file, never runs git).
        try (CoordProcess a = new CoordProcess(repo, NO_RADAR);
                CoordProcess b = new CoordProcess(repo, NO_RADAR);
                DashboardProcess dash = new DashboardProcess(repo, Map.of())) {
            String idA = (String) a.ok("register_instance", Map.of("task", "Build the parser", "role", "backend"))
                    .get("instance_id");
            String idB = (String) b.ok("register_instance", Map.of("task", "Review the docs", "role", "reviewer"))
                    .get("instance_id");
            assertThat(dash.url).startsWith("http://127.0.0.1:").contains("/?token=");
            b.ok(
                    "log_decision",
                    Map.of(
                            "category",
                            "architecture",
                            "title",
                            "Parser is hand-written, no generator",
                            "description",
                            "A recursive-descent parser keeps errors readable."));
            b.ok("claim_mission", Map.of("mission_id", "2026-12-07-parser"));

            ChromeDriver driver = browser();
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
                driver.get(dash.url);
                // The token was traded for a cookie and taken out of the address bar.
                assertThat(driver.getCurrentUrl()).isEqualTo(dash.base() + "/");
                wait.until(d -> d.findElements(By.cssSelector("#sessions [data-session-id]"))
                                .size()
                        == 2);
                assertThat(text(driver, "[data-session-id='" + idA + "']"))
                        .contains("Build the parser")
                        .contains("backend");
                assertThat(text(driver, "[data-session-id='" + idB + "']")).contains("Review the docs");
                assertThat(driver.findElement(By.id("conn")).getText()).isEqualTo("live");
                assertThat(text(driver, "#missions"))
                        .contains("2026-12-07-parser")
                        .contains("blocked by");
                assertThat(text(driver, "#decisions")).contains("Parser is hand-written");
                assertThat(text(driver, "#overlaps-empty")).contains("No overlap result yet");

                // A lock taken by one session appears within 1 s, without a reload.
                driver.executeScript("window.__sameDocument = 42;");
                a.ok("acquire_lock", Map.of("paths", List.of("src/A.java"), "reason", "fixing the build"));
                long t0 = System.nanoTime();
                By row = By.cssSelector("#locks tr[data-path='src/A.java']");
                while (driver.findElements(row).isEmpty() && System.nanoTime() - t0 < 5_000_000_000L) {
                    Thread.sleep(20);
                }
                long appearedMs = (System.nanoTime() - t0) / 1_000_000;
                System.err.println("DashboardBrowserIT: the lock appeared on the page " + appearedMs
                        + " ms after acquire_lock returned");
                assertThat(driver.findElements(row)).as("lock row").hasSize(1);
                assertThat(appearedMs).as("ms until the lock appeared").isLessThanOrEqualTo(1000);
                assertThat(((JavascriptExecutor) driver).executeScript("return window.__sameDocument;"))
                        .as("no reload")
                        .isEqualTo(42L);
                assertThat(text(driver, "#locks tr[data-path='src/A.java']"))
                        .contains("exclusive")
                        .contains("Build the parser");
                assertThat(text(driver, "[data-session-id='" + idA + "'] .holds"))
                        .contains("src/A.java");

                editClaimAndOverlaps(driver, b, idA, idB);

                if (System.getProperty("coord.dashboard.screenshot") != null) {
                    screenshot(driver, b, Path.of(System.getProperty("coord.dashboard.screenshot")));
                }

                // Force-release from the page: a confirmation that needs a reason.
                click(driver, "#locks tr[data-path='src/A.java'] .force-release");
                WebElement ok = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")));
                assertThat(ok.isEnabled()).as("confirm without a reason").isFalse();
                driver.findElement(By.id("reason")).sendKeys("session hangs, taking over");
                assertThat(ok.isEnabled()).isTrue();
                ok.click();
                wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
                wait.until(d -> d.findElement(By.id("toast")).getText().contains("released src/A.java"));
                wait.until(d ->
                        !d.findElements(By.cssSelector("#audit li.ev-force")).isEmpty());
                assertThat(text(driver, "#audit li.ev-force"))
                        .contains("src/A.java")
                        .contains("session hangs, taking over")
                        .contains("coord dashboard");

                // The holder is told on its next call.
                Map<String, Object> status = a.ok("status", Map.of());
                assertThat((List<String>) status.get("notices")).anySatisfy(n -> assertThat(n)
                        .contains("src/A.java")
                        .contains("force-released")
                        .contains("session hangs, taking over")
                        .contains("[coord dashboard"));
                // The lock is free for the other session.
                Map<String, Object> got = b.ok("acquire_lock", Map.of("paths", List.of("src/A.java")));
                assertThat(got).containsEntry("acquired", true);

                // Decisions are searchable by text and by category.
                driver.findElement(By.id("decision-text")).sendKeys("no such words");
                wait.until(d -> d.findElements(By.cssSelector("#decisions [data-decision-id]"))
                        .isEmpty());
                driver.findElement(By.id("decision-text")).clear();
                driver.findElement(By.id("decision-category")).sendKeys("architecture");
                wait.until(d -> d.findElements(By.cssSelector("#decisions [data-decision-id]"))
                                .size()
                        == 1);

                messages(driver, wait, a, idA, idB);
            } finally {
                driver.quit();
            }
        }
    }

    /**
     * Messages between sessions appear in the Messages panel as text (markup in a body is shown, never rendered);
     * the send box reaches a session, which reads it as coming from a person.
     */
    @SuppressWarnings("unchecked")
    private void messages(ChromeDriver driver, WebDriverWait wait, CoordProcess a, String idA, String idB) {
        a.ok(
                "send_message",
                Map.of("to", "reviewer", "subject", "parser", "body", "please review <b>the parser</b><img src=x>"));
        By listed = By.cssSelector("#messages li[data-message-id]");
        wait.until(d -> d.findElements(listed).size() == 1);
        assertThat(text(driver, "#messages"))
                .contains("parser")
                .contains("please review <b>the parser</b><img src=x>")
                .contains(idB.replaceFirst("^claude-\\d{8}-", ""));
        assertThat(driver.findElements(By.cssSelector("#messages b, #messages img")))
                .as("markup in a message is not rendered")
                .isEmpty();

        driver.findElement(By.id("send-to")).sendKeys("backend");
        driver.findElement(By.id("send-body")).sendKeys("stop editing src/A.java for now");
        driver.findElement(By.id("send-ok")).click();
        wait.until(d -> d.findElement(By.id("toast")).getText().contains("sent to " + idA));
        wait.until(d -> d.findElements(listed).size() == 2);
        Map<String, Object> inbox =
                (Map<String, Object>) a.ok("status", Map.of()).get("inbox");
        assertThat(inbox).containsEntry("unread", 1);
        assertThat((String) inbox.get("newest")).startsWith("from a person").contains("stop editing src/A.java");

        driver.findElement(By.id("send-to")).clear();
        driver.findElement(By.id("send-to")).sendKeys("nobody-has-this-role");
        driver.findElement(By.id("send-body")).sendKeys("hello?");
        driver.findElement(By.id("send-ok")).click();
        wait.until(d -> d.findElement(By.id("send-error")).getText().contains("nobody-has-this-role"));
    }

    /**
     * An edit claim taken by the edit hook is marked in the locks table and in its session's holdings; an overlap
     * the servers' radar shared in {@code radar.json} appears in the Overlaps panel, a predicted conflict highlighted.
     */
    private void editClaimAndOverlaps(ChromeDriver driver, CoordProcess b, String idA, String idB) throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        io.modelcontextprotocol.spec.McpSchema.CallToolResult hook = b.call(
                "hook",
                Map.of(
                        "event",
                        "PreToolUse",
                        "tool_name",
                        "Edit",
                        "file_path",
                        repo.resolve("docs/parser.md").toString(),
                        "session_id",
                        "s-edit"));
        assertThat(hook.isError()).as("hook: %s", hook.content()).isNotEqualTo(Boolean.TRUE);
        By claim = By.cssSelector("#locks tr.auto[data-path='docs/parser.md']");
        wait.until(d -> !d.findElements(claim).isEmpty());
        assertThat(text(driver, "#locks tr[data-path='docs/parser.md']"))
                .contains("edit claim")
                .contains("Review the docs");
        assertThat(text(driver, "#locks tr[data-path='src/A.java']")).doesNotContain("edit claim");
        assertThat(text(driver, "[data-session-id='" + idB + "'] .holds"))
                .contains("docs/parser.md")
                .contains("edit claim");

        String wt = repo.toString();
        new RadarCache(repo.resolve(".claude/coordination"))
                .write(new RadarResult(
                        Instant.now(),
                        40,
                        "2.47.3",
                        true,
                        "main",
                        Map.of(idA, wt, idB, wt),
                        List.of(),
                        List.of(
                                new Overlap("src/A.java", idA, idB, true),
                                new Overlap("src/parser/Lexer.java", idA, idB, null),
                                new Overlap("src/Gone.java", idA, "claude-20261207-gone", true)),
                        false,
                        List.of()));
        wait.until(d -> d.findElements(By.cssSelector("#overlaps tbody tr")).size() == 2);
        assertThat(driver.findElement(By.id("overlaps-empty")).isDisplayed()).isFalse();
        assertThat(text(driver, "#overlaps tr.c-true[data-path='src/A.java']"))
                .contains("Build the parser")
                .contains("Review the docs")
                .contains("conflict: true");
        assertThat(text(driver, "#overlaps tr.c-unknown[data-path='src/parser/Lexer.java']"))
                .contains("conflict: unknown");
        assertThat(text(driver, "#overlaps-count")).isEqualTo("2 · 1 predicted conflict");
        Object bg = driver.executeScript(
                "return getComputedStyle(document.querySelector(\"#overlaps tr.c-true td\")).backgroundColor;");
        assertThat(bg).as("a predicted conflict is highlighted").isNotEqualTo("rgba(0, 0, 0, 0)");
    }

    @Test
    void requestsWithoutTheTokenOrFromAnotherOriginAreRefused() throws Exception {
        try (DashboardProcess dash = new DashboardProcess(repo, Map.of())) {
            HttpClient http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            String base = dash.base();
            // No token, a wrong token, a wrong cookie: 403 and nothing else.
            for (HttpRequest r : List.of(
                    get(base + "/").build(),
                    get(base + "/api/state").build(),
                    get(base + "/events").build(),
                    get(base + "/?token=wrong").build(),
                    get(base + "/?token=" + dash.token + "x").build(),
                    get(base + "/api/state")
                            .header("Cookie", "coord_dashboard_" + dash.port + "=wrong")
                            .build(),
                    get(base + "/api/state")
                            .header("Cookie", "coord_dashboard=" + dash.token)
                            .build())) {
                HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode())
                        .as(r.uri() + " " + r.headers().map())
                        .isEqualTo(403);
                assertThat(res.body()).isEmpty();
                assertThat(res.headers().firstValue("Set-Cookie")).isEmpty();
                assertThat(res.headers().firstValue("Access-Control-Allow-Origin"))
                        .isEmpty();
            }
            // The token in the URL is traded for an HttpOnly, SameSite=Strict cookie.
            HttpResponse<String> first = http.send(get(dash.url).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(303);
            assertThat(first.headers().firstValue("Location")).hasValue("/");
            assertThat(first.headers().firstValue("Set-Cookie"))
                    .hasValue(dash.cookie() + "; Path=/; HttpOnly; SameSite=Strict");
            HttpResponse<String> state = http.send(
                    get(base + "/api/state").header("Cookie", dash.cookie()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(state.statusCode()).isEqualTo(200);
            assertThat(state.body()).contains("\"sessions\":[]");
            assertThat(state.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();

            // A foreign Origin is refused even with the cookie (a page elsewhere making the browser send it).
            HttpResponse<String> foreign = http.send(
                    get(base + "/api/state")
                            .header("Cookie", dash.cookie())
                            .header("Origin", "http://evil.example")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(foreign.body()).isEmpty();
            // So is a foreign Host (DNS rebinding: evil.example resolved to 127.0.0.1), token or not.
            assertThat(rawStatus(dash.port, "GET", "/?token=" + dash.token, "evil.example:" + dash.port, null))
                    .isEqualTo("HTTP/1.1 403 Forbidden");
            assertThat(rawStatus(dash.port, "GET", "/api/state", "evil.example:" + dash.port, dash.cookie()))
                    .isEqualTo("HTTP/1.1 403 Forbidden");
            assertThat(rawStatus(dash.port, "GET", "/api/state", "localhost:" + dash.port, dash.cookie()))
                    .isEqualTo("HTTP/1.1 200 OK");

            // Actions: POST only, with the token in the header as well as the cookie.
            String body = "{\"path\":\"src/A.java\",\"reason\":\"test\"}";
            HttpResponse<String> noHeader = http.send(
                    post(base + "/api/release", body)
                            .header("Cookie", dash.cookie())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noHeader.statusCode()).isEqualTo(403);
            assertThat(noHeader.body()).isEmpty();
            HttpResponse<String> asGet = http.send(
                    get(base + "/api/release").header("Cookie", dash.cookie()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(asGet.statusCode()).isEqualTo(405);
            HttpResponse<String> noReason = http.send(
                    post(base + "/api/release", "{\"path\":\"src/A.java\",\"reason\":\"  \"}")
                            .header("Cookie", dash.cookie())
                            .header("X-Coord-Token", dash.token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noReason.statusCode()).isEqualTo(400);
            assertThat(noReason.body()).contains("reason is required");
            HttpResponse<String> notLocked = http.send(
                    post(base + "/api/release", body)
                            .header("Cookie", dash.cookie())
                            .header("X-Coord-Token", dash.token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notLocked.statusCode()).isEqualTo(200);
            assertThat(notLocked.body()).contains("was not locked");
            HttpResponse<String> notJson = http.send(
                    post(base + "/api/give-back", "not json")
                            .header("Cookie", dash.cookie())
                            .header("X-Coord-Token", dash.token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(notJson.body()).contains("must be a JSON object");
            // The server keeps serving after all that.
            assertThat(http.send(
                                    get(base + "/api/state")
                                            .header("Cookie", dash.cookie())
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(dash.process.isAlive()).isTrue();
        }
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    }

    private static HttpRequest.Builder post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** The status line for a request with a chosen Host header (java.net.http does not let a caller set it). */
    private static String rawStatus(int port, String method, String path, String host, String cookie)
            throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            String req = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "Connection: close\r\n\r\n";
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\r'; ) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    /**
     * The rendered text of an element, read in one script call: the page redraws a section whenever it changes (the
     * sessions every second, with their heartbeat age), so an element found in one call may be gone by the next.
     */
    private static String text(ChromeDriver d, String css) {
        Object t =
                d.executeScript("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
        assertThat(t).as("element " + css).isNotNull();
        return (String) t;
    }

    /** Clicks an element in one script call, for the same reason. */
    private static void click(ChromeDriver d, String css) {
        Object found =
                d.executeScript("const e = document.querySelector(arguments[0]); if (e) e.click(); return !!e;", css);
        assertThat(found).as("element " + css).isEqualTo(true);
    }

    /** The picture in docs/dashboard.md: a third session waiting for the lock, then the whole page. */
    private void screenshot(ChromeDriver driver, CoordProcess b, Path target) throws Exception {
        try (CoordProcess c = new CoordProcess(repo, NO_RADAR)) {
            c.ok("register_instance", Map.of("task", "Fix the lexer's error messages", "role", "frontend"));
            c.ok("acquire_lock", Map.of("paths", List.of("src/parser/"), "mode", "shared", "reason", "reading"));
            CompletableFuture<?> waiting = CompletableFuture.runAsync(() -> b.ok(
                    "acquire_lock", Map.of("paths", List.of("src/A.java"), "wait_seconds", 8, "reason", "review")));
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(d ->
                            d.findElements(By.cssSelector("#locks .queue li")).size() == 1
                                    && d.findElements(By.cssSelector("#sessions [data-session-id]"))
                                                    .size()
                                            == 3);
            Thread.sleep(1200);
            Object height = driver.executeScript("return document.documentElement.scrollHeight;");
            driver.manage()
                    .window()
                    .setSize(new org.openqa.selenium.Dimension(1440, ((Number) height).intValue() + 200));
            Thread.sleep(300);
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1200));
            // The waiting call ends (not acquired) at its 8 s deadline; cancelling the future would not end it, and it
            // would then take the lock the page force-releases next.
            waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
