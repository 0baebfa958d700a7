package dev.coord.tools;

import static dev.coord.tools.ToolHarness.content;
import static dev.coord.tools.ToolHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** Every tool end to end over a real file store, two sessions sharing one state directory. */
class ToolsTest {
    @TempDir
    Path repo;

    ToolHarness alice;
    ToolHarness bob;
    final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/A.java"), "class A {}\n");
        Path state = repo.resolve(".claude/coordination");
        alice = new ToolHarness(repo.toRealPath(), state, "claude-20261121-100000-aaaaaaaa", 11);
        bob = new ToolHarness(repo.toRealPath(), state, "claude-20261121-100000-bbbbbbbb", 12);
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

    /** Calls a tool and checks that a successful result matches the tool's output schema. */
    private Map<String, Object> ok(ToolHarness who, String tool, Map<String, Object> args) {
        CallToolResult r = who.call(tool, args);
        assertThat(r.isError()).as("%s failed: %s", tool, r.content()).isNotEqualTo(Boolean.TRUE);
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = JsonMapper.builder().build().readValue(Schemas.output(tool), Map.class);
        var check = validator.validate(schema, r.structuredContent());
        assertThat(check.valid())
                .as("%s output violates its schema: %s", tool, check.errorMessage())
                .isTrue();
        return content(r);
    }

    /** An error result: text only, the code first, no structuredContent (which would have to match the schema). */
    private static String errorText(CallToolResult r) {
        assertThat(r.isError()).isTrue();
        assertThat(r.structuredContent())
                .as("structuredContent of an error result")
                .isNull();
        assertThat(r.content()).hasSize(1);
        return ((TextContent) r.content().get(0)).text();
    }

    @Test
    void registerSetsTaskAndCountsOthers() {
        Map<String, Object> out = ok(alice, "register_instance", Map.of("task", "auth API", "role", "backend"));
        assertThat(out)
                .containsEntry("instance_id", "claude-20261121-100000-aaaaaaaa")
                .containsEntry("task", "auth API")
                .containsEntry("role", "backend")
                .containsEntry("active_instances", 1);
    }

    @Test
    void conflictNamesTheHolderAndItsTask() {
        ok(alice, "register_instance", Map.of("task", "auth API"));
        Map<String, Object> got = ok(alice, "acquire_lock", Map.of("paths", List.of("src/A.java"), "reason", "edit"));
        assertThat(got).containsEntry("acquired", true);
        assertThat(list(got, "locks").get(0))
                .containsEntry("path", "src/A.java")
                .containsKey("token");

        Map<String, Object> refused = ok(bob, "acquire_lock", Map.of("paths", List.of("src/A.java")));
        assertThat(refused).containsEntry("acquired", false);
        Map<String, Object> conflict = list(refused, "conflicts").get(0);
        assertThat(conflict).containsEntry("path", "src/A.java");
        @SuppressWarnings("unchecked")
        Map<String, Object> heldBy = (Map<String, Object>) conflict.get("held_by");
        assertThat(heldBy)
                .containsEntry("instance_id", "claude-20261121-100000-aaaaaaaa")
                .containsEntry("task", "auth API");
    }

    @Test
    void directoryLockBlocksFilesBelow() {
        ok(alice, "acquire_lock", Map.of("paths", List.of("src/")));
        Map<String, Object> refused = ok(bob, "acquire_lock", Map.of("paths", List.of("src/A.java")));
        assertThat(list(refused, "conflicts").get(0)).containsEntry("held_path", "src/");
    }

    @Test
    void releaseReportsChangeAndNotHeld() throws Exception {
        ok(alice, "acquire_lock", Map.of("paths", List.of("src/A.java")));
        Files.writeString(repo.resolve("src/A.java"), "class A { int x; }\n");
        Map<String, Object> out = ok(alice, "release_lock", Map.of("paths", List.of("src/A.java", "src/B.java")));
        assertThat(list(out, "released").get(0))
                .containsEntry("path", "src/A.java")
                .containsEntry("changed", true);
        assertThat(list(out, "not_held").get(0))
                .containsEntry("path", "src/B.java")
                .containsEntry("code", "NOT_HELD");
    }

    @Test
    void argumentsThatDoNotMatchTheInputSchemaAreInvalidArgumentsNamingTheProblem() {
        assertThat(errorText(alice.call("acquire_lock", Map.of("paths", List.of("a"), "ttl_seconds", 86_401))))
                .startsWith("INVALID_ARGUMENT: ttl_seconds: must have a maximum value of 86400")
                .contains("the arguments of acquire_lock do not match its input schema");
        assertThat(errorText(alice.call("acquire_lock", Map.of("paths", List.of("a"), "ttl_seconds", 1e308))))
                .startsWith("INVALID_ARGUMENT: The arguments of acquire_lock");
        assertThat(errorText(alice.call("log_decision", Map.of("title", "t", "description", "d"))))
                .startsWith("INVALID_ARGUMENT: required property 'category' not found");
        assertThat(errorText(alice.call("status", Map.of("verbose", true))))
                .startsWith("INVALID_ARGUMENT: ")
                .contains("verbose");
        assertThat(errorText(alice.call("query_decisions", Map.of("id", "DEC-1"))))
                .startsWith("INVALID_ARGUMENT: ")
                .contains("id: does not match the regex pattern");
    }

    @Test
    void releasingAnotherSessionsLockNeedsForceAndAReason() {
        ok(alice, "acquire_lock", Map.of("paths", List.of("src/A.java")));
        Map<String, Object> refused = ok(bob, "release_lock", Map.of("paths", List.of("src/A.java")));
        assertThat(list(refused, "not_held").get(0)).containsKey("held_by");
        assertThat(errorText(bob.call("release_lock", Map.of("paths", List.of("src/A.java"), "force", true))))
                .startsWith("INVALID_ARGUMENT: force: true needs a reason");
        Map<String, Object> forced = ok(
                bob, "release_lock", Map.of("paths", List.of("src/A.java"), "force", true, "reason", "alice is stuck"));
        assertThat(list(forced, "released").get(0)).containsEntry("forced_from", "claude-20261121-100000-aaaaaaaa");
        Map<String, Object> status = ok(alice, "status", Map.of());
        assertThat((List<?>) status.get("notices")).singleElement().asString().contains("force-released");
    }

    @Test
    void decisionsAreSharedBetweenSessions() {
        Map<String, Object> logged = ok(
                alice,
                "log_decision",
                Map.of(
                        "category",
                        "api-design",
                        "title",
                        "Use JWT",
                        "description",
                        "15 minute expiry",
                        "tags",
                        List.of("auth")));
        String id = (String) logged.get("id");
        assertThat(id).matches("DEC-\\d{8}-0001");
        Map<String, Object> found = ok(bob, "query_decisions", Map.of("category", "api-design"));
        assertThat(list(found, "decisions")).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("id", id).containsEntry("author", "claude-20261121-100000-aaaaaaaa");
        });
        Map<String, Object> newer = ok(
                bob,
                "log_decision",
                Map.of(
                        "category",
                        "api-design",
                        "title",
                        "Use JWT, 30 min",
                        "description",
                        "longer",
                        "supersedes",
                        id));
        Map<String, Object> old = ok(bob, "query_decisions", Map.of("id", id));
        assertThat(list(old, "decisions").get(0)).containsEntry("superseded_by", newer.get("id"));
        Map<String, Object> status = ok(bob, "status", Map.of());
        assertThat(list(status, "recent_decisions")).hasSize(2);
    }

    @Test
    void longDescriptionsAreCutInListsButNotById() {
        String longText = "x".repeat(1000);
        String id = (String) ok(alice, "log_decision", Map.of("category", "c", "title", "t", "description", longText))
                .get("id");
        Map<String, Object> listed =
                list(ok(bob, "query_decisions", Map.of()), "decisions").get(0);
        assertThat((String) listed.get("description")).hasSizeLessThan(400);
        assertThat(listed).containsEntry("truncated", true);
        Map<String, Object> full =
                list(ok(bob, "query_decisions", Map.of("id", id)), "decisions").get(0);
        assertThat(full).containsEntry("description", longText).doesNotContainKey("truncated");
    }

    @Test
    void statusShowsOthersAndPathVerdicts() {
        ok(bob, "register_instance", Map.of("task", "frontend", "role", "ui"));
        ok(bob, "acquire_lock", Map.of("paths", List.of("src/A.java")));
        ok(alice, "acquire_lock", Map.of("paths", List.of("docs/")));
        Map<String, Object> status = ok(alice, "status", Map.of());
        assertThat(list(status, "instances")).singleElement().satisfies(i -> assertThat(i)
                .containsEntry("task", "frontend")
                .containsEntry("locks", 1)
                .containsEntry("holds", List.of("src/A.java")));
        assertThat(status).doesNotContainKey("locks");
        @SuppressWarnings("unchecked")
        Map<String, Object> you = (Map<String, Object>) status.get("you");
        assertThat(you).containsEntry("locks", List.of(Map.of("path", "docs/"))).containsKey("expires_at");

        Map<String, Object> verdicts =
                ok(alice, "status", Map.of("paths", List.of("src/A.java", "docs/x.md", "README")));
        assertThat(list(verdicts, "paths")).extracting(p -> p.get("state")).containsExactly("held", "yours", "free");
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorResultAndTheToolKeepsWorking() {
        AbstractTool broken = new AbstractTool(() -> alice.coord) {
            @Override
            public String name() {
                return "status";
            }

            @Override
            String title() {
                return "broken";
            }

            @Override
            String description() {
                return "broken";
            }

            @Override
            io.modelcontextprotocol.spec.McpSchema.ToolAnnotations annotations() {
                return hints(true, false, true);
            }

            @Override
            Object call(Args args) {
                throw new IllegalStateException("boom");
            }
        };
        CallToolResult r = broken.handle(
                null,
                io.modelcontextprotocol.spec.McpSchema.CallToolRequest.builder("status")
                        .arguments(Map.of())
                        .build());
        assertThat(errorText(r)).startsWith("INTERNAL: ").contains("boom").contains("status");
        assertThat(ok(alice, "status", Map.of())).containsKey("you");
    }

    @Test
    void expectedFailuresAreErrorResultsWithACode() {
        assertThat(errorText(alice.call("acquire_lock", Map.of("paths", List.of("../outside.txt")))))
                .startsWith("INVALID_PATH:");
        assertThat(errorText(alice.call("acquire_lock", Map.of("paths", List.of("a"), "ttl_seconds", 1))))
                .startsWith("INVALID_ARGUMENT: ttl_seconds");
        assertThat(errorText(alice.call("acquire_lock", Map.of("paths", List.of("a"), "mode", "weird"))))
                .startsWith("INVALID_ARGUMENT: mode");
        assertThat(errorText(alice.call("query_decisions", Map.of("id", "DEC-20200101-0001"))))
                .startsWith("NOT_FOUND:");
        assertThat(errorText(alice.call("release_lock", Map.of()))).startsWith("INVALID_ARGUMENT:");
        Map<String, Object> wrongType = new HashMap<>();
        wrongType.put("paths", "src/A.java");
        assertThat(errorText(alice.call("acquire_lock", wrongType)))
                .startsWith("INVALID_ARGUMENT: paths: string found, array expected");
        // and the session still works
        assertThat(ok(alice, "acquire_lock", Map.of("paths", List.of("src/A.java"))))
                .containsEntry("acquired", true);
    }

    // ---------------------------------------------------------------------------------------------- missions

    private void queueMission(String file, String id, int priority) throws Exception {
        Path queue = Files.createDirectories(repo.resolve("missions/queue"));
        Files.writeString(
                queue.resolve(file),
                "# Mission " + id + "\n\n```yaml\nmission_id: " + id + "\nstatus: QUEUED\npriority: " + priority
                        + "\n```\n\n## Objectives\n\n- [ ] **O1**: do it\n\n## Execution Log\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void claimShowInStatusAndCompleteAMission() throws Exception {
        queueMission("thaifa.md", "thaifa", 1);
        queueMission("later.md", "later", 2);
        ok(alice, "register_instance", Map.of("task", "Thaifa migration"));

        Map<String, Object> claimed = ok(alice, "claim_mission", Map.of("request_id", "r-1"));
        assertThat(claimed).containsEntry("claimed", true);
        Map<String, Object> mission = (Map<String, Object>) claimed.get("mission");
        assertThat(mission)
                .containsEntry("id", "thaifa")
                .containsEntry("path", "missions/active/thaifa.md")
                .containsEntry("status", "ACTIVE")
                .containsEntry("priority", 1)
                .containsEntry("claimed_by", "claude-20261121-100000-aaaaaaaa")
                .containsKey("claimed_at");
        assertThat((List<Map<String, Object>>) mission.get("objectives"))
                .singleElement()
                .isEqualTo(Map.of("text", "**O1**: do it", "done", false));
        assertThat(ok(alice, "claim_mission", Map.of("request_id", "r-1")))
                .containsEntry("replayed", true)
                .containsEntry("mission", mission);

        Map<String, Object> lost = ok(bob, "claim_mission", Map.of("mission_id", "thaifa"));
        assertThat(lost).containsEntry("claimed", false).containsEntry("code", "ALREADY_CLAIMED");
        assertThat((Map<String, Object>) lost.get("held_by"))
                .containsEntry("instance_id", "claude-20261121-100000-aaaaaaaa")
                .containsEntry("task", "Thaifa migration")
                .containsEntry("alive", true)
                .containsEntry("stale", false);
        assertThat((Map<String, Object>) lost.get("next")).containsEntry("id", "later");

        Map<String, Object> missions =
                (Map<String, Object>) ok(bob, "status", Map.of()).get("missions");
        assertThat(missions)
                .containsEntry("root", "missions")
                .containsEntry("queued", 1)
                .containsEntry("done", 0);
        assertThat(list(missions, "active")).singleElement().satisfies(a -> assertThat(a)
                .containsEntry("id", "thaifa")
                .containsEntry("claimed_by", "claude-20261121-100000-aaaaaaaa")
                .containsEntry("task", "Thaifa migration")
                .doesNotContainKey("stranded"));

        assertThat(errorText(bob.call("finish_mission", Map.of("mission_id", "thaifa", "outcome", "done"))))
                .startsWith("NOT_HELD: mission thaifa is claimed by claude-20261121-100000-aaaaaaaa");
        Map<String, Object> done = ok(alice, "finish_mission", Map.of("outcome", "done", "summary", "migrated"));
        assertThat(done).containsEntry("mission_id", "thaifa").containsEntry("outcome", "done");
        assertThat((Map<String, Object>) done.get("mission"))
                .containsEntry("path", "missions/done/thaifa.md")
                .containsEntry("status", "DONE");
        assertThat(Files.readString(repo.resolve("missions/done/thaifa.md")))
                .contains("**COMPLETED** by claude-20261121-100000-aaaaaaaa: migrated");
        assertThat((Map<String, Object>) ok(bob, "status", Map.of()).get("missions"))
                .containsEntry("done", 1)
                .doesNotContainKey("active");
    }

    @Test
    void missionToolsReportExpectedFailuresAsErrors() throws Exception {
        assertThat(errorText(alice.call("claim_mission", Map.of())))
                .startsWith("NOT_FOUND: there is no missions folder at missions");
        queueMission("m1.md", "m1", 1);
        assertThat(errorText(alice.call("claim_mission", Map.of("mission_id", "nope"))))
                .startsWith("NOT_FOUND: there is no mission nope");
        assertThat(errorText(alice.call("claim_mission", Map.of("mission_id", "m1", "force", true))))
                .startsWith("INVALID_ARGUMENT: force: true needs a reason");
        assertThat(errorText(alice.call("finish_mission", Map.of("outcome", "give_back"))))
                .startsWith("INVALID_ARGUMENT: give_back needs a reason");
        assertThat(errorText(alice.call("finish_mission", Map.of("outcome", "done"))))
                .startsWith("NOT_FOUND: this session holds no mission");
        Map<String, Object> none = ok(alice, "claim_mission", Map.of("mission_id", "m1"));
        assertThat(none).containsEntry("claimed", true);
        Map<String, Object> empty = ok(bob, "claim_mission", Map.of());
        assertThat(empty).containsEntry("claimed", false).containsEntry("code", "NOT_FOUND");
        assertThat((String) empty.get("reason")).contains("the queue is empty");
        Map<String, Object> back =
                ok(alice, "finish_mission", Map.of("mission_id", "m1", "outcome", "give_back", "reason", "blocked"));
        assertThat(back).containsEntry("outcome", "give_back");
        assertThat(Files.exists(repo.resolve("missions/queue/m1.md"))).isTrue();
    }
}
