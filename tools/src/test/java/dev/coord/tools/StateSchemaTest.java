package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Notice;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The state files the server writes match the JSON Schemas published in {@code schemas/state/}. */
class StateSchemaTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path repo;

    final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();

    @SuppressWarnings("unchecked")
    private void assertConforms(String schemaFile, String json) {
        Map<String, Object> schema = JSON.readValue(Schemas.load("schemas/state/" + schemaFile), Map.class);
        Object doc = JSON.readValue(json, Object.class);
        var result = validator.validate(schema, doc);
        assertThat(result.valid())
                .as("%s against %s: %s", json, schemaFile, result.errorMessage())
                .isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRegistrySchemaKnowsEveryKindOfNotice() {
        Map<String, Object> schema = JSON.readValue(Schemas.load("schemas/state/registry.schema.json"), Map.class);
        String text = JSON.writeValueAsString(schema);
        for (Notice.Kind kind : Notice.Kind.values()) {
            assertThat(text)
                    .as("registry.schema.json lists notice kind %s", kind)
                    .contains('"' + kind.wireName() + '"');
        }
    }

    @Test
    void everyStateFileMatchesItsSchema() throws Exception {
        Path state = repo.resolve(".claude/coordination");
        try (ToolHarness a = new ToolHarness(repo.toRealPath(), state, "claude-20261121-100000-aaaaaaaa", 11);
                ToolHarness b = new ToolHarness(repo.toRealPath(), state, "claude-20261121-100000-bbbbbbbb", 12)) {
            a.call("register_instance", Map.of("task", "t", "role", "r"));
            a.call("acquire_lock", Map.of("paths", List.of("src/", "README.md"), "reason", "why"));
            b.call("acquire_lock", Map.of("paths", List.of("docs/x.md"), "mode", "shared"));
            a.call("release_lock", Map.of("paths", List.of("README.md")));
            b.call("release_lock", Map.of("paths", List.of("src/"), "force", true, "reason", "test"));
            a.call("log_decision", Map.of("category", "c", "title", "t", "description", "d", "scope", "system"));
            a.call("send_message", Map.of("to", "claude-20261121-100000-bbbbbbbb", "body", "hello", "subject", "hi"));
            b.call("read_messages", Map.of());
            b.call("send_message", Map.of("to", "person", "body", "for the user"));
            a.call("acquire_lock", Map.of("paths", List.of("lib/")));
            a.call(
                    "send_message",
                    Map.of(
                            "to",
                            "claude-20261121-100000-bbbbbbbb",
                            "kind",
                            "handover",
                            "body",
                            "yours",
                            "about_paths",
                            List.of("lib/")));
            List<String> messages = Files.readAllLines(state.resolve("messages.jsonl"), StandardCharsets.UTF_8);
            assertThat(messages).hasSize(4); // the header and three messages
            messages.forEach(line -> assertConforms("message.schema.json", line));
            assertConforms("message-reads.schema.json", Files.readString(state.resolve("message-reads.json")));
            Files.createDirectories(repo.resolve("missions/queue"));
            Files.writeString(repo.resolve("missions/queue/m1.md"), "# M1\n");
            Files.writeString(repo.resolve("missions/queue/m2.md"), "# M2\n");
            a.call("claim_mission", Map.of("mission_id", "m1", "request_id", "req-1"));
            a.call("finish_mission", Map.of("outcome", "done", "summary", "s"));
            a.call("claim_mission", Map.of("mission_id", "m2"));
            b.call(
                    "finish_mission",
                    Map.of("mission_id", "m2", "outcome", "give_back", "reason", "test", "force", true));

            String registry = Files.readString(state.resolve("registry.json"));
            assertThat(registry).as("a mission_taken notice waits for a").contains("mission_taken");
            assertConforms("registry.schema.json", registry);
            assertConforms("locks.schema.json", Files.readString(state.resolve("locks.json")));
            String missions = Files.readString(state.resolve("missions.json"));
            assertThat(JSON.readTree(missions).path("missions").size()).isEqualTo(2);
            assertConforms("missions.schema.json", missions);
        }
        List<String> decisions = Files.readAllLines(state.resolve("decisions.jsonl"), StandardCharsets.UTF_8);
        assertThat(decisions).hasSize(1);
        decisions.forEach(line -> assertConforms("decision.schema.json", line));
        List<String> audit = Files.readAllLines(state.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        assertThat(audit)
                .extracting(l -> JSON.readTree(l).path("event").asString())
                .contains(
                        "register",
                        "acquire",
                        "release",
                        "force",
                        "decision",
                        "mission_claim",
                        "mission_done",
                        "mission_give_back",
                        "message",
                        "handover",
                        "unregister");
        audit.forEach(line -> assertConforms("audit-event.schema.json", line));
    }

    @Test
    void schemaRejectsAWrongDocument() {
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = JSON.readValue(Schemas.load("schemas/state/locks.schema.json"), Map.class);
        assertThat(validator
                        .validate(schema, Map.of("schemaVersion", 2, "locks", List.of()))
                        .valid())
                .isFalse();
    }

    @Test
    void radarJsonMatchesItsSchemaAndATornOneDoesNot() throws Exception {
        java.time.Instant at = java.time.Instant.parse("2026-12-07T22:00:00.123456Z");
        var changes = List.of(
                new dev.coord.engine.git.WorktreeChanges(
                        "/w/a", "0123abcd", java.util.Set.of("x.txt"), java.util.Set.of("y.txt"), false),
                new dev.coord.engine.git.WorktreeChanges("/w/b", null, java.util.Set.of(), java.util.Set.of(), true));
        var overlaps = List.of(
                new dev.coord.engine.git.Overlap("x.txt", "claude-a", "claude-b", null),
                new dev.coord.engine.git.Overlap("y.txt", "claude-a", "claude-b", true));
        var result = new dev.coord.engine.git.RadarResult(
                at,
                12,
                "2.39.5",
                true,
                "main",
                Map.of("claude-a", "/w/a", "claude-b", "/w/b"),
                changes,
                overlaps,
                false,
                List.of("/w/c: git status exited with 128"));
        Path state = Files.createDirectories(repo.resolve("state"));
        new dev.coord.engine.git.RadarCache(state).write(result);
        String json = Files.readString(state.resolve(dev.coord.engine.git.RadarCache.FILE));
        assertConforms("radar.schema.json", json);
        assertThat(new dev.coord.engine.git.RadarCache(state).read()).contains(result);

        @SuppressWarnings("unchecked")
        Map<String, Object> schema = JSON.readValue(Schemas.load("schemas/state/radar.schema.json"), Map.class);
        assertThat(validator
                        .validate(
                                schema, JSON.readValue(json.replace("\"took_ms\":12", "\"took_ms\":-1"), Object.class))
                        .valid())
                .as("a negative duration")
                .isFalse();
        assertThat(validator
                        .validate(schema, JSON.readValue(json.replace("\"path\":\"x.txt\",", ""), Object.class))
                        .valid())
                .as("an overlap with no path")
                .isFalse();
    }
}
