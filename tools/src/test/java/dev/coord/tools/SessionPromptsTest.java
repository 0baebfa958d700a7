package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start and end prompts, rendered over a real store for two sessions. */
class SessionPromptsTest {
    static final String ALICE = "claude-20261121-100000-aaaaaaaa";
    static final String BOB = "claude-20261121-100000-bbbbbbbb";

    @TempDir
    Path repo;

    ToolHarness alice;
    ToolHarness bob;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/A.java"), "class A {}\n");
        Path state = repo.resolve(".claude/coordination");
        alice = new ToolHarness(repo.toRealPath(), state, ALICE, 11);
        bob = new ToolHarness(repo.toRealPath(), state, BOB, 12);
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

    void mission(String folder, String id, int priority, String dependsOn) throws Exception {
        Path dir = Files.createDirectories(repo.resolve("missions").resolve(folder));
        Files.writeString(
                dir.resolve(id + ".md"),
                "---\nmission_id: " + id + "\nstatus: QUEUED\npriority: " + priority + "\ndepends_on: " + dependsOn
                        + "\n---\n\n# Mission " + id + "\n\n## Objectives\n\n- [x] **O1**: read the code\n"
                        + "- [ ] **O2**: change it\n\n## Execution Log\n");
    }

    static String render(ToolHarness who, String name) {
        SyncPromptSpecification spec = SessionPrompts.all(who.coord).stream()
                .filter(p -> p.prompt().name().equals(name))
                .findFirst()
                .orElseThrow();
        GetPromptResult result = spec.promptHandler()
                .apply(null, McpSchema.GetPromptRequest.builder(name).build());
        assertThat(result.messages()).singleElement().satisfies(m -> assertThat(m.role())
                .isEqualTo(McpSchema.Role.USER));
        return ((McpSchema.TextContent) result.messages().get(0).content()).text();
    }

    @Test
    void thePromptsAreNamedForTheSlashCommandsAndTakeNoArguments() {
        List<SyncPromptSpecification> specs = SessionPrompts.all(alice.coord);
        assertThat(specs).extracting(s -> s.prompt().name()).containsExactly("start", "end");
        assertThat(specs).allSatisfy(s -> {
            assertThat(s.prompt().title()).isNotBlank();
            assertThat(s.prompt().description()).isNotBlank();
            assertThat(s.prompt().arguments()).isEmpty();
        });
    }

    @Test
    void startShowsActiveMissionsWithTheirClaimersAndTheBestQueuedOnes() throws Exception {
        mission("queue", "m1", 1, "[]");
        mission("queue", "m2", 2, "[]");
        mission("queue", "m9", 1, "[m8]");
        mission("queue", "m3", 3, "[]");
        bob.call("register_instance", Map.of("task", "docs"));
        bob.call("claim_mission", Map.of("mission_id", "m3"));

        String text = render(alice, "start");

        assertThat(text)
                .contains("This session is " + ALICE + ".")
                .containsPattern("Active missions \\(missions/active/\\):\n- m3 \"Mission m3\" claimed by " + BOB
                        + " \\(\"docs\"\\), \\d+s ago - missions/active/m3.md\n")
                .contains("Queue: 3 queued, 1 of them waiting for their dependencies. Done: 0.")
                .contains("1. m1 \"Mission m1\" (priority 1) - missions/queue/m1.md\n"
                        + "2. m2 \"Mission m2\" (priority 2) - missions/queue/m2.md\n")
                .contains("Other sessions active now:\n- " + BOB + " (\"docs\"), 0 locks")
                .contains("ask: resume an active mission, or claim a new one from the queue?")
                .contains("claim_mission with its mission_id, force=true and a reason")
                .doesNotContain("[STRANDED");

        bob.close();
        assertThat(render(alice, "start"))
                .containsPattern("claimed by " + BOB + " \\(\"docs\"\\), \\d+s ago \\[STRANDED: its session is gone]")
                .contains("No other session is active now.");
    }

    @Test
    void endSummarizesTheLocksAndTheMissionOfThisSession() throws Exception {
        mission("queue", "m1", 1, "[]");
        alice.call("register_instance", Map.of("task", "refactor A"));
        alice.call("acquire_lock", Map.of("paths", List.of("src/A.java")));
        alice.call("claim_mission", Map.of());
        bob.call("acquire_lock", Map.of("paths", List.of("docs/")));

        String text = render(alice, "end");

        assertThat(text)
                .contains("This session (" + ALICE + ", task \"refactor A\") is ending.")
                .contains("- lock src/A.java (exclusive)\n")
                .doesNotContain("docs/")
                .contains("- mission m1 \"Mission m1\" - missions/active/m1.md, claimed at ")
                .contains("  objectives: 1 of 2 ticked\n  - [x] **O1**: read the code\n  - [ ] **O2**: change it\n")
                .contains("finish_mission with outcome \"done\"")
                .contains("finish_mission with outcome \"give_back\"")
                .contains("call log_decision")
                .contains("release_lock with all=true");

        String bobs = render(bob, "end");
        assertThat(bobs).contains("- lock docs/ (exclusive)\n").contains("- no mission\n");
    }

    @Test
    void withoutMissionsFolderTheStartPromptAsksWhatToWorkOn() {
        String text = render(alice, "start");
        assertThat(text)
                .contains("This repository has no missions folder (missions/).")
                .contains("register_instance");
        assertThat(render(alice, "end")).contains("- no locks\n").contains("- no mission\n");
    }
}
