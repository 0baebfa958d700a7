package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers started in two git worktrees of one repository share one state. */
class WorktreesIT {
    @TempDir
    Path tmp;

    private static void git(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(
                List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), out).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void worktreesShareLocksDecisionsAndRegistry() throws Exception {
        Path main = Files.createDirectories(tmp.resolve("repo"));
        git(main, "init");
        Files.writeString(main.resolve("README.md"), "hello\n");
        git(main, "add", "README.md");
        git(main, "commit", "-m", "init");
        Path linked = tmp.resolve("repo-feature");
        git(main, "worktree", "add", linked.toString(), "-b", "feature");

        try (CoordProcess a = new CoordProcess(main, Map.of());
                CoordProcess b = new CoordProcess(linked, Map.of())) {
            a.ok("register_instance", Map.of("task", "main work"));
            assertThat(a.ok("acquire_lock", Map.of("paths", List.of("README.md"))))
                    .containsEntry("acquired", true);
            Map<String, Object> refused = b.ok("acquire_lock", Map.of("paths", List.of("README.md")));
            assertThat(refused).containsEntry("acquired", false);

            Map<String, Object> status = b.ok("status", Map.of());
            Map<String, Object> you = (Map<String, Object>) status.get("you");
            assertThat(you).containsEntry("branch", "feature");
            List<Map<String, Object>> others = (List<Map<String, Object>>) status.get("instances");
            assertThat(others).singleElement().satisfies(i -> assertThat(i)
                    .containsEntry("branch", "main")
                    .containsEntry("worktree", main.toRealPath().toString()));

            String id = (String) b.ok("log_decision", Map.of("category", "x", "title", "t", "description", "d"))
                    .get("id");
            List<Map<String, Object>> seen = (List<Map<String, Object>>)
                    a.ok("query_decisions", Map.of()).get("decisions");
            assertThat(seen).extracting(d -> d.get("id")).contains(id);
        }
        assertThat(main.resolve(".claude/coordination/registry.json")).exists();
        assertThat(linked.resolve(".claude/coordination")).doesNotExist();
        assertThat(Files.readString(main.resolve(".git/info/exclude"))).contains("/.claude/coordination/");
    }
}
