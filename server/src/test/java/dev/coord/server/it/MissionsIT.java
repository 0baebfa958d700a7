package dev.coord.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missions end to end: two real server processes, the SDK's client, a missions folder in the seed's format. */
class MissionsIT {
    static final String THAIFA = """
            # Thaifa migration

            ```yaml
            mission_id: 2026-11-20-thaifa
            status: QUEUED
            assigned_to: Claude Code
            created: 2026-11-20
            priority: 1
            depends_on: []
            ```

            ## Objectives

            - [ ] **O1**: Move admin/

            ## Execution Log

            ### 2026-11-20

            - 18:02 - **CREATED** by Omar
            """;

    static final String DOCS = """
            ---
            mission_id: 2026-11-21-docs
            status: QUEUED
            priority: 2
            ---

            # Write the docs
            """;

    @TempDir
    Path repo;

    static String text(GetPromptResult prompt) {
        assertThat(prompt.messages()).singleElement();
        return ((McpSchema.TextContent) prompt.messages().get(0).content()).text();
    }

    @Test
    @SuppressWarnings("unchecked")
    void claimSeeInStatusCompleteAndBothPrompts() throws Exception {
        Path queue = Files.createDirectories(repo.resolve("missions/queue"));
        Files.writeString(queue.resolve("thaifa.md"), THAIFA);
        Files.writeString(queue.resolve("docs.md"), DOCS);
        try (CoordProcess a = new CoordProcess(repo, Map.of());
                CoordProcess b = new CoordProcess(repo, Map.of())) {
            assertThat(a.client.getServerCapabilities().prompts()).isNotNull();
            assertThat(a.client.listPrompts().prompts())
                    .extracting(Prompt::name)
                    .containsExactlyInAnyOrder("start", "end");
            assertThat(text(a.client.getPrompt(
                            McpSchema.GetPromptRequest.builder("start").build())))
                    .contains("1. 2026-11-20-thaifa \"Thaifa migration\" (priority 1) - missions/queue/thaifa.md")
                    .contains("claim_mission");

            String idA = (String) a.ok("register_instance", Map.of("task", "Thaifa P0 migration"))
                    .get("instance_id");
            Map<String, Object> claimed = a.ok("claim_mission", Map.of("request_id", "it-1"));
            assertThat(claimed).containsEntry("claimed", true);
            Map<String, Object> mission = (Map<String, Object>) claimed.get("mission");
            assertThat(mission)
                    .containsEntry("id", "2026-11-20-thaifa")
                    .containsEntry("path", "missions/active/thaifa.md")
                    .containsEntry("claimed_by", idA);
            assertThat(Files.exists(queue.resolve("thaifa.md"))).isFalse();
            assertThat(Files.readString(repo.resolve("missions/active/thaifa.md"), UTF_8))
                    .contains("status: ACTIVE\n")
                    .contains("claimed_by: " + idA + "\n")
                    .contains("**CLAIMED** by " + idA + " (\"Thaifa P0 migration\")");

            Map<String, Object> lost = b.ok("claim_mission", Map.of("mission_id", "2026-11-20-thaifa"));
            assertThat(lost).containsEntry("claimed", false).containsEntry("code", "ALREADY_CLAIMED");
            assertThat((Map<String, Object>) lost.get("held_by")).containsEntry("instance_id", idA);
            assertThat((Map<String, Object>) lost.get("next")).containsEntry("id", "2026-11-21-docs");

            Map<String, Object> missions =
                    (Map<String, Object>) b.ok("status", Map.of()).get("missions");
            assertThat(missions).containsEntry("queued", 1).containsEntry("done", 0);
            assertThat((List<Map<String, Object>>) missions.get("active"))
                    .singleElement()
                    .satisfies(m -> assertThat(m)
                            .containsEntry("id", "2026-11-20-thaifa")
                            .containsEntry("claimed_by", idA)
                            .containsEntry("task", "Thaifa P0 migration"));

            a.ok("acquire_lock", Map.of("paths", List.of("src/admin/")));
            assertThat(text(a.client.getPrompt(
                            McpSchema.GetPromptRequest.builder("end").build())))
                    .contains("- lock src/admin/ (exclusive")
                    .contains("- mission 2026-11-20-thaifa \"Thaifa migration\" - missions/active/thaifa.md")
                    .contains("  - [ ] **O1**: Move admin/")
                    .contains("finish_mission")
                    .contains("release_lock with all=true");

            Map<String, Object> done = a.ok("finish_mission", Map.of("outcome", "done", "summary", "admin/ moved"));
            assertThat((Map<String, Object>) done.get("mission"))
                    .containsEntry("path", "missions/done/thaifa.md")
                    .containsEntry("status", "DONE");
            assertThat(Files.exists(repo.resolve("missions/active/thaifa.md"))).isFalse();
            String finished = Files.readString(repo.resolve("missions/done/thaifa.md"), UTF_8);
            assertThat(finished)
                    .contains("status: DONE\n")
                    .contains("completed_at: ")
                    .contains("**COMPLETED** by " + idA + ": admin/ moved")
                    .startsWith("# Thaifa migration\n\n```yaml\nmission_id: 2026-11-20-thaifa\n");
            assertThat((Map<String, Object>) b.ok("status", Map.of()).get("missions"))
                    .containsEntry("done", 1)
                    .containsEntry("queued", 1);
        }
    }
}
