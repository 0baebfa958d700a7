package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error result, as the official TypeScript MCP client ({@code @modelcontextprotocol/sdk}, pinned in
 * {@code src/test/clients}) receives it after listing the tools: that client checks each {@code structuredContent}
 * against the tool's output schema, so an error result with a structured body of another shape reached the caller as
 * a client-side -32602 that hid coord's message. {@code error-results.mjs} provokes every code reachable from
 * outside; LOCK_HELD (contention is {@code acquired: false}, a result), STALE_INSTANCE (no tool returns it) and
 * INTERNAL (a bug) cannot be, and are covered by {@code ToolsTest}.
 */
class TypeScriptClientIT {
    static final Path CLIENTS = Path.of("src", "test", "clients").toAbsolutePath();

    @TempDir
    Path repo;

    /** Node and the pinned SDK, or a loud skip (a failure when {@code COORD_REQUIRE_CLIENTS=true}, as in CI). */
    static String node() throws Exception {
        String missing = null;
        String node = "node";
        if (!Files.isDirectory(CLIENTS.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            missing = "the TypeScript MCP SDK is not installed: run npm ci --no-audit --no-fund --prefix "
                    + "server/src/test/clients";
        } else {
            try {
                Process p = new ProcessBuilder(node, "--version")
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    missing = "node --version failed";
                }
            } catch (java.io.IOException e) {
                missing = "node is not on PATH (" + e.getMessage() + ")";
            }
        }
        if (missing != null) {
            if ("true".equals(System.getenv("COORD_REQUIRE_CLIENTS"))) {
                fail("COORD_REQUIRE_CLIENTS=true but " + missing);
            }
            System.err.println("\n*** SKIPPED TypeScriptClientIT: " + missing + " ***\n");
            Assumptions.abort(missing);
        }
        return node;
    }

    @Test
    void everyErrorResultReachesTheTypeScriptClientWithItsCode() throws Exception {
        String node = node();
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/A.java"), "class A {}\n");
        for (String f : List.of("queue", "active", "done")) {
            Files.createDirectories(repo.resolve("missions").resolve(f));
        }
        Files.writeString(
                repo.resolve("missions/queue/m1.md"),
                "---\nid: m1\ntitle: First\npriority: 1\n---\n# First\n\n- [ ] do it\n");

        Path out = repo.resolveSibling(repo.getFileName() + "-out.txt");
        Path err = repo.resolveSibling(repo.getFileName() + "-err.txt");
        Process p = new ProcessBuilder(
                        node,
                        CLIENTS.resolve("error-results.mjs").toString(),
                        CoordProcess.java(),
                        CoordProcess.jar().toString(),
                        repo.toString())
                .directory(CLIENTS.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS))
                .as("the client script finished")
                .isTrue();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("client script exit; stderr:\n%s", stderr).isZero();

        Map<String, JsonNode> cases = new LinkedHashMap<>();
        JsonMapper mapper = JsonMapper.builder().build();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            JsonNode n = mapper.readTree(line);
            cases.put(n.path("case").asString(), n);
        }
        assertThat(cases.get("tools_listed").path("count").asInt()).isGreaterThanOrEqualTo(8);
        // a tool that does not exist is a JSON-RPC error (-32602) that lists the real ones
        assertThat(cases.get("unknown_tool").path("clientError").asString())
                .contains("Unknown tool: invalid_tool_name")
                .contains("coord's tools are: acquire_lock, claim_mission");
        cases.remove("unknown_tool");
        for (JsonNode n : cases.values()) {
            assertThat(n.has("clientError"))
                    .as("the TypeScript client rejected a result: %s", n)
                    .isFalse();
        }
        for (String code :
                List.of("INVALID_PATH", "INVALID_ARGUMENT", "NOT_FOUND", "NOT_HELD", "CONFLICT", "STORE_UNAVAILABLE")) {
            JsonNode n = cases.get(code);
            assertThat(n).as(code).isNotNull();
            assertThat(n.path("isError").asBoolean()).as(code).isTrue();
            assertThat(n.path("text").asString()).as(code).startsWith(code + ": ");
            assertThat(n.path("structured").isNull())
                    .as(code + " carries no structuredContent")
                    .isTrue();
        }
        assertThat(cases.get("INVALID_PATH").path("text").asString()).contains("../x");
        assertThat(cases.get("INVALID_ARGUMENT_unknown_field").path("text").asString())
                .startsWith("INVALID_ARGUMENT: ")
                .contains("verbose");
        assertThat(cases.get("STORE_UNAVAILABLE").path("text").asString()).contains("queue");
        // the codes that travel inside successful results
        assertThat(cases.get("LOCK_HELD_as_contention")
                        .path("structured")
                        .path("acquired")
                        .asBoolean(true))
                .isFalse();
        assertThat(cases.get("LOCK_LOST")
                        .path("structured")
                        .path("not_held")
                        .get(0)
                        .path("code")
                        .asString())
                .isEqualTo("LOCK_LOST");
        assertThat(cases.get("NOT_HELD_lock")
                        .path("structured")
                        .path("not_held")
                        .get(0)
                        .path("code")
                        .asString())
                .isEqualTo("NOT_HELD");
        assertThat(cases.get("ALREADY_CLAIMED").path("structured").path("code").asString())
                .isEqualTo("ALREADY_CLAIMED");
        assertThat(cases.get("status_after").path("isError").asBoolean()).isFalse();
    }
}
