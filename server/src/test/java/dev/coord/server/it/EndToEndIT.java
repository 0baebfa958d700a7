package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real server processes on one repository, through every tool, with the SDK's client. */
class EndToEndIT {
    @TempDir
    Path repo;

    @Test
    @SuppressWarnings("unchecked")
    void twoSessionsSeeEachOtherConflictAndShareDecisions() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/A.java"), "class A {}\n");
        try (CoordProcess a = new CoordProcess(repo, Map.of());
                CoordProcess b = new CoordProcess(repo, Map.of())) {
            assertThat(a.client.getServerInfo().name()).isEqualTo("coord");
            assertThat(a.client.getServerInstructions()).contains("acquire_lock");
            assertThat(a.client.listTools().tools())
                    .extracting(Tool::name)
                    .containsExactlyInAnyOrder(
                            "status",
                            "register_instance",
                            "acquire_lock",
                            "release_lock",
                            "log_decision",
                            "query_decisions",
                            "claim_mission",
                            "finish_mission",
                            "send_message",
                            "read_messages",
                            "hook");

            Map<String, Object> regA = a.ok("register_instance", Map.of("task", "auth API", "role", "backend"));
            String idA = (String) regA.get("instance_id");
            assertThat(idA).matches("claude-\\d{8}-\\d{6}-[0-9a-f]{8}");
            assertThat(regA.get("active_instances")).isEqualTo(1);
            b.ok("register_instance", Map.of("task", "login page", "role", "frontend"));

            Map<String, Object> statusB = b.ok("status", Map.of());
            List<Map<String, Object>> others = (List<Map<String, Object>>) statusB.get("instances");
            assertThat(others).singleElement().satisfies(i -> {
                assertThat(i).containsEntry("instance_id", idA).containsEntry("task", "auth API");
            });

            Map<String, Object> got = a.ok("acquire_lock", Map.of("paths", List.of("src/A.java"), "reason", "auth"));
            assertThat(got).containsEntry("acquired", true);
            Map<String, Object> refused = b.ok("acquire_lock", Map.of("paths", List.of("src/A.java")));
            assertThat(refused).containsEntry("acquired", false);
            Map<String, Object> conflict = ((List<Map<String, Object>>) refused.get("conflicts")).get(0);
            assertThat((Map<String, Object>) conflict.get("held_by"))
                    .containsEntry("instance_id", idA)
                    .containsEntry("task", "auth API");

            CallToolResult bad = b.call("acquire_lock", Map.of("paths", List.of("/etc/passwd")));
            assertThat(bad.isError()).isTrue();
            assertThat(((TextContent) bad.content().get(0)).text()).startsWith("INVALID_PATH:");

            String id = (String) a.ok(
                            "log_decision",
                            Map.of("category", "api-design", "title", "JWT, 15 min", "description", "tokens expire"))
                    .get("id");
            List<Map<String, Object>> seen = (List<Map<String, Object>>)
                    b.ok("query_decisions", Map.of("text", "jwt")).get("decisions");
            assertThat(seen).extracting(d -> d.get("id")).containsExactly(id);

            Files.writeString(repo.resolve("src/A.java"), "class A { int x; }\n");
            Map<String, Object> released = a.ok("release_lock", Map.of("paths", List.of("src/A.java")));
            assertThat(((List<Map<String, Object>>) released.get("released")).get(0))
                    .containsEntry("changed", true);
            assertThat(b.ok("acquire_lock", Map.of("paths", List.of("src/A.java"))))
                    .containsEntry("acquired", true);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void closingStdinReleasesTheSessionsLocks() throws Exception {
        CoordProcess a = new CoordProcess(repo, Map.of());
        try (CoordProcess b = new CoordProcess(repo, Map.of())) {
            a.ok("acquire_lock", Map.of("paths", List.of("shared/")));
            assertThat(b.ok("acquire_lock", Map.of("paths", List.of("shared/x"))))
                    .containsEntry("acquired", false);
            a.close();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            Map<String, Object> result;
            do {
                result = b.ok("acquire_lock", Map.of("paths", List.of("shared/x")));
            } while (!Boolean.TRUE.equals(result.get("acquired"))
                    && Instant.now().isBefore(deadline));
            assertThat(result).containsEntry("acquired", true);
            List<Map<String, Object>> instances =
                    (List<Map<String, Object>>) b.ok("status", Map.of()).get("instances");
            assertThat(instances == null ? List.of() : instances).isEmpty();
        }
    }
}
