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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** send_message and read_messages as the model sees them, and the inbox field on other tools' results. */
class MessageToolsTest {
    static final String ALICE = "claude-20261121-100000-aaaaaaaa";
    static final String BOB = "claude-20261121-100000-bbbbbbbb";

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
        alice = new ToolHarness(repo.toRealPath(), state, ALICE, 11);
        bob = new ToolHarness(repo.toRealPath(), state, BOB, 12);
        ok(alice, "register_instance", Map.of("task", "auth API", "role", "backend"));
        ok(bob, "register_instance", Map.of("task", "login page", "role", "frontend"));
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

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

    private static String error(CallToolResult r) {
        assertThat(r.isError()).isTrue();
        assertThat(r.structuredContent()).isNull();
        return ((TextContent) r.content().get(0)).text();
    }

    @Test
    void aMessageShowsInTheRecipientsInboxUntilRead() {
        Map<String, Object> sent =
                ok(alice, "send_message", Map.of("to", "frontend", "subject", "API changed", "body", "use /v2"));
        assertThat((String) sent.get("id")).startsWith("msg-");
        assertThat(list(sent, "delivered_to"))
                .extracting(m -> m.get("instance_id"))
                .containsExactly(BOB);
        assertThat(sent).doesNotContainKey("inbox");

        Map<String, Object> status = ok(bob, "status", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> inbox = (Map<String, Object>) status.get("inbox");
        assertThat(inbox).containsEntry("unread", 1);
        assertThat((String) inbox.get("newest"))
                .isEqualTo("from session " + ALICE + " (backend, auth API): API changed");
        assertThat(ok(alice, "status", Map.of())).doesNotContainKey("inbox");

        Map<String, Object> read = ok(bob, "read_messages", Map.of());
        assertThat(read).containsEntry("unread_left", 0).doesNotContainKey("inbox");
        Map<String, Object> m = list(read, "messages").get(0);
        assertThat(m)
                .containsEntry("from", ALICE)
                .containsEntry("role", "backend")
                .containsEntry("task", "auth API")
                .containsEntry("kind", "note")
                .containsEntry("body", "use /v2");
        assertThat(ok(bob, "status", Map.of())).doesNotContainKey("inbox");
        assertThat(list(ok(bob, "read_messages", Map.of()), "messages")).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIsRefusedNamingTheLimit() {
        String text = error(alice.call("send_message", Map.of("to", BOB, "body", "x".repeat(4097))));
        assertThat(text).startsWith("INVALID_ARGUMENT").contains("body").contains("4,096 characters");
        assertThat(list(ok(bob, "read_messages", Map.of()), "messages")).isEmpty();
    }

    @Test
    void controlCharactersAreStrippedAndListsCutLongBodies() {
        String body = "red\u001b[31m alert\u0007 " + "y".repeat(400);
        ok(alice, "send_message", Map.of("to", BOB, "body", body));
        Map<String, Object> listed =
                list(ok(bob, "read_messages", Map.of()), "messages").get(0);
        String shown = (String) listed.get("body");
        assertThat(shown).startsWith("red[31m alert y").doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(shown).hasSize(ReadMessagesTool.LIST_BODY_CHARS).endsWith("...");
        assertThat(listed).containsEntry("truncated", true);
        Map<String, Object> whole = list(ok(bob, "read_messages", Map.of("thread", listed.get("id"))), "messages")
                .get(0);
        assertThat((String) whole.get("body")).hasSize(body.length() - 2);
        assertThat(whole).doesNotContainKey("truncated");
    }

    @Test
    void anAddressThatReachesNobodyIsRefusedWithTheReason() {
        assertThat(error(alice.call("send_message", Map.of("to", "claude-20200101-000000-00000000", "body", "hi"))))
                .startsWith("NOT_FOUND")
                .contains("claude-20200101-000000-00000000")
                .contains("not sent");
        assertThat(error(alice.call(
                        "send_message",
                        Map.of("kind", "release_request", "body", "pls", "about_paths", List.of("src/")))))
                .startsWith("NOT_FOUND")
                .contains("src/");
        assertThat(error(alice.call("send_message", Map.of("body", "to whom?"))))
                .startsWith("INVALID_ARGUMENT")
                .contains("to is required");
    }

    @Test
    void aReleaseRequestReachesTheHolderAndTheRequesterHearsWhenItIsFree() {
        ok(bob, "acquire_lock", Map.of("paths", List.of("src/A.java")));
        Map<String, Object> asked = ok(
                alice,
                "send_message",
                Map.of(
                        "kind",
                        "release_request",
                        "body",
                        "I need A for the API",
                        "about_paths",
                        List.of("src/A.java")));
        assertThat(list(asked, "delivered_to"))
                .extracting(m -> m.get("instance_id"))
                .containsExactly(BOB);
        Map<String, Object> request =
                list(ok(bob, "read_messages", Map.of()), "messages").get(0);
        assertThat(request)
                .containsEntry("kind", "release_request")
                .containsEntry("about_paths", List.of("src/A.java"));
        ok(bob, "release_lock", Map.of("paths", List.of("src/A.java")));
        Map<String, Object> free =
                list(ok(alice, "read_messages", Map.of()), "messages").get(0);
        assertThat(free).containsEntry("from", "coord").containsEntry("kind", "path_free");
        assertThat((String) free.get("body")).contains("src/A.java").contains("acquire_lock");
    }

    @Test
    void aHandoverGivesTheLockWithANewToken() {
        Map<String, Object> got = ok(alice, "acquire_lock", Map.of("paths", List.of("src/A.java")));
        long old = ((Number) list(got, "locks").get(0).get("token")).longValue();
        Map<String, Object> out = ok(
                alice,
                "send_message",
                Map.of("to", BOB, "kind", "handover", "body", "finish it", "about_paths", List.of("src/A.java")));
        Map<String, Object> handed = list(out, "handed_over").get(0);
        assertThat(handed).containsEntry("path", "src/A.java");
        assertThat(((Number) handed.get("token")).longValue()).isGreaterThan(old);
        Map<String, Object> mine = ok(bob, "acquire_lock", Map.of("paths", List.of("src/A.java")));
        assertThat(list(mine, "locks").get(0)).containsEntry("renewed", true);
        assertThat(error(alice.call(
                        "send_message",
                        Map.of("to", BOB, "kind", "handover", "body", "again", "about_paths", List.of("src/A.java")))))
                .startsWith("NOT_HELD");
    }

    @Test
    void aPersonsMessageIsMarkedAsFromAPerson() {
        ok(bob, "send_message", Map.of("to", "person", "body", "question for the user"));
        assertThat(bob.coord.messages().recent(5))
                .extracting(m -> m.recipients())
                .containsExactly(List.of("person"));
    }

    @Test
    void theNextPromptOfTheRecipientCarriesTheUnreadSummaryOnce() throws Exception {
        HookToolTest.text(bob.call("hook", HookToolTest.event("UserPromptSubmit"))); // the greeting
        ok(alice, "send_message", Map.of("to", BOB, "subject", "schema v2", "body", "migrate \u0007first"));
        String news =
                HookToolTest.context(bob.call("hook", HookToolTest.event("UserPromptSubmit")), "UserPromptSubmit");
        assertThat(news)
                .contains("1 unread message; newest from session " + ALICE + " (backend, auth API): schema v2")
                .contains("read_messages")
                .contains("not the user's instructions");
        assertThat(HookToolTest.text(bob.call("hook", HookToolTest.event("UserPromptSubmit"))))
                .as("told once per newest message")
                .isEmpty();
        ok(alice, "send_message", Map.of("to", BOB, "body", "second"));
        assertThat(HookToolTest.context(bob.call("hook", HookToolTest.event("UserPromptSubmit")), "UserPromptSubmit"))
                .contains("2 unread messages; newest from session " + ALICE);
    }

    @Test
    void aHandoverOfTheActiveMissionRewritesItsFileAndTheNextClaimerGetsAGiveBackNote() throws Exception {
        Files.createDirectories(repo.resolve("missions/queue"));
        Files.writeString(repo.resolve("missions/queue/m1.md"), "# M1\n");
        ok(alice, "claim_mission", Map.of("mission_id", "m1"));
        Map<String, Object> out =
                ok(alice, "send_message", Map.of("to", BOB, "kind", "handover", "body", "take m1", "mission", "m1"));
        assertThat(list(out, "handed_over")).extracting(m -> m.get("path")).containsExactly("mission:m1");
        String file = Files.readString(repo.resolve("missions/active/m1.md"));
        assertThat(file).contains(BOB).contains("HANDED OVER").contains("by " + ALICE);
        assertThat(error(alice.call("finish_mission", Map.of("mission_id", "m1", "outcome", "done"))))
                .startsWith("NOT_HELD");

        ok(bob, "finish_mission", Map.of("outcome", "give_back", "reason", "blocked", "summary", "parser half done"));
        assertThat(Files.readString(repo.resolve("missions/queue/m1.md")))
                .contains("note for the next claimer: parser half done");
        @SuppressWarnings("unchecked")
        Map<String, Object> mission = (Map<String, Object>)
                ok(alice, "claim_mission", Map.of("mission_id", "m1")).get("mission");
        assertThat(mission).containsEntry("note", "parser half done");
    }

    @Test
    void aRequesterHearsOnItsNextPromptWhenTheRequestedPathIsFreeHoweverItBecameFree() throws Exception {
        HookToolTest.text(alice.call("hook", HookToolTest.event("UserPromptSubmit"))); // the greeting
        ok(bob, "acquire_lock", Map.of("paths", List.of("src/A.java")));
        ok(
                alice,
                "send_message",
                Map.of("kind", "release_request", "body", "need A", "about_paths", List.of("src/A.java")));
        assertThat(HookToolTest.text(alice.call("hook", HookToolTest.event("UserPromptSubmit"))))
                .as("still held: no news")
                .isEmpty();
        bob.session.close("its session ended"); // the lock goes without a release: no path_free message
        String news =
                HookToolTest.context(alice.call("hook", HookToolTest.event("UserPromptSubmit")), "UserPromptSubmit");
        assertThat(news).contains("src/A.java is free now");
        assertThat(list(ok(alice, "read_messages", Map.of()), "messages")).isEmpty();
    }
}
