package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Servers started in the main worktree and in two linked worktrees (real {@code git worktree add}, each on its own
 * branch) share one registry, lock table and decision log, kept in the main worktree; status shows each instance's
 * worktree and branch.
 */
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
    void theMainWorktreeAndTwoLinkedWorktreesShareRegistryLocksAndDecisions() throws Exception {
        Path main = Files.createDirectories(tmp.resolve("repo"));
        git(main, "init");
        Files.createDirectories(main.resolve("src"));
        Files.writeString(main.resolve("README.md"), "hello\n");
        Files.writeString(main.resolve("src/App.java"), "class App {}\n");
        git(main, "add", "README.md", "src/App.java");
        git(main, "commit", "-m", "init");
        Path one = tmp.resolve("repo-feature-one");
        Path two = tmp.resolve("repo-feature-two");
        git(main, "worktree", "add", one.toString(), "-b", "feature/one");
        git(main, "worktree", "add", two.toString(), "-b", "feature/two");
        String mainDir = main.toRealPath().toString();
        String oneDir = one.toRealPath().toString();
        String twoDir = two.toRealPath().toString();

        try (CoordProcess a = new CoordProcess(main, Map.of());
                CoordProcess b = new CoordProcess(one, Map.of());
                CoordProcess c = new CoordProcess(two, Map.of())) {
            Map<String, Object> regA = a.ok("register_instance", Map.of("task", "main work"));
            Map<String, Object> regB = b.ok("register_instance", Map.of("task", "feature one"));
            Map<String, Object> regC = c.ok("register_instance", Map.of("task", "feature two"));
            assertThat(regA).containsEntry("branch", "main").containsEntry("worktree", mainDir);
            assertThat(regB).containsEntry("branch", "feature/one").containsEntry("worktree", oneDir);
            assertThat(regC).containsEntry("branch", "feature/two").containsEntry("worktree", twoDir);
            assertThat(regC).as("one registry: C sees A and B").containsEntry("active_instances", 2);
            String idA = (String) regA.get("instance_id");
            String idB = (String) regB.get("instance_id");
            String idC = (String) regC.get("instance_id");

            // one lock table: a lock taken in the main worktree is held in both linked worktrees, by
            // repository-relative path; an absolute path into a linked worktree names the same file
            assertThat(a.ok("acquire_lock", Map.of("paths", List.of("src/App.java"))))
                    .containsEntry("acquired", true);
            for (Map<String, Object> refused : List.of(
                    b.ok("acquire_lock", Map.of("paths", List.of("src/App.java"))),
                    c.ok(
                            "acquire_lock",
                            Map.of("paths", List.of(two.resolve("src/App.java").toString()))))) {
                assertThat(refused).containsEntry("acquired", false);
                List<Map<String, Object>> conflicts = (List<Map<String, Object>>) refused.get("conflicts");
                assertThat(conflicts).singleElement().satisfies(k -> assertThat(k)
                        .containsEntry("path", "src/App.java")
                        .extractingByKey("held_by")
                        .satisfies(h -> assertThat((Map<String, Object>) h).containsEntry("instance_id", idA)));
            }
            assertThat(c.ok("acquire_lock", Map.of("paths", List.of("src/New.java"))))
                    .containsEntry("acquired", true);

            // one decision log: written from one linked worktree, read from the main one and the other
            String id = (String) c.ok("log_decision", Map.of("category", "x", "title", "t", "description", "d"))
                    .get("id");
            for (CoordProcess reader : List.of(a, b)) {
                List<Map<String, Object>> seen = (List<Map<String, Object>>)
                        reader.ok("query_decisions", Map.of()).get("decisions");
                assertThat(seen).extracting(d -> d.get("id")).containsExactly(id);
            }

            // status (the tool): each instance with its worktree and branch
            Map<String, Object> status = b.ok("status", Map.of());
            assertThat((Map<String, Object>) status.get("you"))
                    .containsEntry("instance_id", idB)
                    .containsEntry("branch", "feature/one")
                    .containsEntry("worktree", oneDir);
            List<Map<String, Object>> others = (List<Map<String, Object>>) status.get("instances");
            assertThat(others)
                    .extracting(i -> i.get("instance_id") + " " + i.get("branch") + " " + i.get("worktree"))
                    .containsExactlyInAnyOrder(idA + " main " + mainDir, idC + " feature/two " + twoDir);

            // coord status --json (the command line), run from a linked worktree: the same three
            JsonNode cli = cliStatus(two);
            assertThat(cli.get("repository").asString()).isEqualTo(twoDir);
            List<String> rows = new java.util.ArrayList<>();
            cli.get("instances")
                    .forEach(i -> rows.add(i.get("instance_id").asString() + " "
                            + i.get("branch").asString() + " "
                            + i.get("worktree").asString() + " "
                            + i.get("locks").size()));
            assertThat(rows)
                    .containsExactlyInAnyOrder(
                            idA + " main " + mainDir + " 1",
                            idB + " feature/one " + oneDir + " 0",
                            idC + " feature/two " + twoDir + " 1");
        }
        assertThat(main.resolve(".claude/coordination/registry.json")).exists();
        assertThat(one.resolve(".claude/coordination")).doesNotExist();
        assertThat(two.resolve(".claude/coordination")).doesNotExist();
        assertThat(Files.readString(main.resolve(".git/info/exclude"))).contains("/.claude/coordination/");
    }

    private static JsonNode cliStatus(Path dir) throws Exception {
        Process p = new ProcessBuilder(
                        CoordProcess.java(), "-jar", CoordProcess.jar().toString(), "status", "--json")
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] json = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return Json.mapper().readTree(json);
    }
}
