package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The git radar and the Bash guard through the real jar: three server processes on one repository, two sharing the
 * linked worktree {@code wt-a} and one in {@code wt-b}. The radar runs in the servers' background and shares its
 * result through {@code radar.json}; {@code status} shows the overlap with the predicted conflict; the hook tool
 * warns about {@code git stash} only where another session shares the worktree.
 */
class GitRadarIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static String git(Path repo, String... args) throws IOException, InterruptedException {
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

    static String text(CallToolResult r) {
        assertThat(r.isError()).as("hook failed: %s", r.content()).isNotEqualTo(Boolean.TRUE);
        StringBuilder sb = new StringBuilder();
        r.content().forEach(c -> sb.append(((TextContent) c).text()));
        return sb.toString();
    }

    static Map<String, Object> bash(String command, Path cwd) {
        return Map.of("event", "PreToolUse", "tool_name", "Bash", "command", command, "cwd", cwd.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void overlapsReachStatusAndTheBashGuardWatchesSharedWorktrees() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo")).toRealPath();
        git(repo, "init", "-q", "-b", "main");
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            lines.append("line ").append(i).append('\n');
        }
        Files.writeString(repo.resolve("shared.txt"), lines);
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "start");
        Path wtA = dir.resolve("wt-a");
        Path wtB = dir.resolve("wt-b");
        git(repo, "worktree", "add", "-q", "-b", "a", wtA.toString());
        git(repo, "worktree", "add", "-q", "-b", "b", wtB.toString());
        wtA = wtA.toRealPath();
        wtB = wtB.toRealPath();
        Files.writeString(wtA.resolve("shared.txt"), lines.toString().replace("line 1\n", "A\n"));
        git(wtA, "commit", "-q", "-am", "a");
        Files.writeString(wtB.resolve("shared.txt"), lines.toString().replace("line 1\n", "B\n"));
        git(wtB, "commit", "-q", "-am", "b");

        Map<String, String> env = Map.of("COORD_RADAR_INTERVAL", "1s");
        try (CoordProcess a = new CoordProcess(wtA, env);
                CoordProcess a2 = new CoordProcess(wtA, env);
                CoordProcess b = new CoordProcess(wtB, env)) {
            a.ok("register_instance", Map.of("task", "Write the parser"));
            String a2Id = (String) a2.ok("register_instance", Map.of("task", "Review the parser"))
                    .get("instance_id");
            String bId = (String)
                    b.ok("register_instance", Map.of("task", "Fix the lexer")).get("instance_id");

            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            List<Map<String, Object>> overlaps = null;
            while (Instant.now().isBefore(deadline)) {
                overlaps = (List<Map<String, Object>>) a.ok("status", Map.of()).get("overlaps");
                if (overlaps != null) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(overlaps).as("status overlaps; a's stderr: %s", a.stderr).isNotNull();
            assertThat(overlaps).singleElement().satisfies(o -> {
                assertThat(o).containsEntry("path", "shared.txt");
                assertThat(o).containsEntry("with", bId);
                assertThat(o).containsEntry("task", "Fix the lexer");
                assertThat(o).containsEntry("conflict", "true");
            });
            assertThat(dir.resolve("repo/.claude/coordination/radar.json")).exists();

            JsonNode warned = JSON.readTree(text(a.call("hook", bash("git stash", wtA))));
            assertThat(warned.at("/hookSpecificOutput/additionalContext").asString())
                    .contains(a2Id + " (Review the parser)")
                    .doesNotContain(bId);
            assertThat(text(b.call("hook", bash("git stash", wtB)))).isEmpty();
            assertThat(text(a.call("hook", bash("git status && git diff", wtA))))
                    .isEmpty();
        }
    }
}
