package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code hook} tool through the real jar, as Claude Code's mcp_tool hooks call it: two server processes on one
 * git repository, edit claims seen by the command line, a deny naming the holder, a crashed holder's claim gone at
 * once, a commit ending a claim, and malformed input answered while the server keeps serving.
 */
class HookIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    static String text(CallToolResult r) {
        assertThat(r.isError()).as("hook failed: %s", r.content()).isNotEqualTo(Boolean.TRUE);
        StringBuilder sb = new StringBuilder();
        r.content().forEach(c -> sb.append(((TextContent) c).text()));
        return sb.toString();
    }

    static Map<String, Object> edit(String tool, String file) {
        return Map.of("event", "PreToolUse", "tool_name", tool, "file_path", file, "session_id", "s-" + tool.length());
    }

    static Map<String, Object> after(String tool) {
        return Map.of("event", "PostToolUse", "tool_name", tool);
    }

    private String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=T", "-c", "user.email=t@example.com"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private JsonNode statusJson(Path repo) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        CoordProcess.java(), "-jar", CoordProcess.jar().toString(), "status", "--json")
                .directory(repo.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CLAUDE_") || k.startsWith("COORD_"));
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return JSON.readTree(out);
    }

    private static Set<ProcessHandle> children() {
        Set<ProcessHandle> s = new HashSet<>();
        ProcessHandle.current().children().forEach(s::add);
        return s;
    }

    @Test
    @SuppressWarnings("unchecked")
    void editClaimsGuardEditsAcrossProcessesAndEndOnCrashAndCommit() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo")).toRealPath();
        git(repo, "init", "-q", "-b", "main");
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/a.txt"), "v1\n");
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "start");

        Set<ProcessHandle> before = children();
        CoordProcess a = new CoordProcess(repo, Map.of("CLAUDE_CODE_SESSION_ID", "session-a"));
        Set<ProcessHandle> aProcs = children();
        aProcs.removeAll(before);
        try (CoordProcess b = new CoordProcess(repo, Map.of("COORD_ENFORCE", "deny"))) {
            String aId = (String) a.ok("register_instance", Map.of("task", "Write the parser"))
                    .get("instance_id");
            b.ok("register_instance", Map.of("task", "Fix the docs"));

            assertThat(text(a.call(
                            "hook", edit("Write", repo.resolve("src/a.txt").toString()))))
                    .isEmpty();
            JsonNode status = statusJson(repo);
            assertThat(status.path("locks")).hasSize(1);
            assertThat(status.path("locks").get(0).path("auto").asBoolean(false))
                    .isTrue();
            assertThat(status.path("locks").get(0).path("holder").asString()).isEqualTo(aId);

            JsonNode denied = JSON.readTree(text(b.call("hook", edit("Edit", "src/a.txt"))));
            assertThat(denied.path("hookSpecificOutput")
                            .path("permissionDecision")
                            .asString())
                    .isEqualTo("deny");
            assertThat(denied.path("hookSpecificOutput")
                            .path("permissionDecisionReason")
                            .asString())
                    .contains("src/a.txt is held by " + aId + " (task: Write the parser)");

            // hostile and malformed input: a clear INVALID_ARGUMENT, nothing taken, the server keeps serving
            CallToolResult bad = b.call(
                    "hook", Map.of("event", "PreToolUse", "tool_name", "Write", "tool_input", "{\"file_path\": 42"));
            assertThat(bad.isError()).isTrue();
            assertThat(((TextContent) bad.content().get(0)).text()).startsWith("INVALID_ARGUMENT: tool_input");
            assertThat(text(b.call("hook", edit("Write", "../../etc/passwd")))).isEmpty();
            assertThat(text(b.call("hook", edit("Write", ".git/config")))).isEmpty();
            assertThat(statusJson(repo).path("locks")).hasSize(1);

            // a commit of the claimed file ends the claim at the holder's next tool use
            Files.writeString(repo.resolve("src/a.txt"), "v2 by a\n");
            text(a.call("hook", after("Write")));
            git(repo, "commit", "-q", "-am", "a's edit");
            text(a.call("hook", after("Bash")));
            assertThat(statusJson(repo).path("locks")).isEmpty();

            // a claims again and its process dies: the claim goes with it, b edits freely
            assertThat(text(a.call("hook", edit("Edit", "src/a.txt")))).isEmpty();
            assertThat(aProcs).isNotEmpty();
            aProcs.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : aProcs) {
                h.onExit().get(30, TimeUnit.SECONDS);
            }
            assertThat(text(b.call("hook", edit("Edit", "src/a.txt")))).isEmpty();
            JsonNode after = statusJson(repo);
            assertThat(after.path("locks")).hasSize(1);
            assertThat(after.path("locks").get(0).path("holder").asString()).isNotEqualTo(aId);
        } finally {
            try {
                a.close();
            } catch (RuntimeException e) {
                // it was killed
            }
        }
    }
}
