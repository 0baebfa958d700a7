package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line through the real jar, next to a real server process. */
class CliIT {
    @TempDir
    Path repo;

    record Run(int code, String out, String err) {}

    private Run coord(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(CoordProcess.java(), "-jar", CoordProcess.jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
        clean(pb);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(repo.getParent(), "out", ".txt");
        Path err = Files.createTempFile(repo.getParent(), "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusJsonAndThePreEditHookSeeALiveServersLock() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/A.java"), "class A {}\n");
        String file = repo.toRealPath().resolve("src/A.java").toString();
        String hookInput = "{\"session_id\":\"%s\",\"cwd\":\"" + repo.toRealPath()
                + "\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":\""
                + file + "\",\"old_string\":\"A\",\"new_string\":\"B\"}}";
        try (CoordProcess server = new CoordProcess(repo, Map.of("CLAUDE_CODE_SESSION_ID", "session-server"))) {
            String id = (String) server.ok("register_instance", Map.of("task", "auth API", "role", "backend"))
                    .get("instance_id");
            assertThat(server.ok("acquire_lock", Map.of("paths", List.of("src/A.java"))))
                    .containsEntry("acquired", true);

            Run status = coord(Map.of(), "", "status", "--json");
            assertThat(status.code()).as(status.err()).isZero();
            JsonNode json = JsonMapper.builder().build().readTree(status.out());
            assertThat(json.path("instances")).hasSize(1);
            assertThat(json.path("instances").get(0).path("instance_id").asString())
                    .isEqualTo(id);
            assertThat(json.path("instances").get(0).path("session_id").asString())
                    .isEqualTo("session-server");
            assertThat(json.path("locks").get(0).path("path").asString()).isEqualTo("src/A.java");

            Run deny = coord(Map.of("COORD_ENFORCE", "deny"), hookInput.formatted("session-other"), "hook", "pre-edit");
            assertThat(deny.code()).as(deny.err()).isZero();
            JsonNode decision =
                    JsonMapper.builder().build().readTree(deny.out()).path("hookSpecificOutput");
            assertThat(decision.path("hookEventName").asString()).isEqualTo("PreToolUse");
            assertThat(decision.path("permissionDecision").asString()).isEqualTo("deny");
            assertThat(decision.path("permissionDecisionReason").asString())
                    .startsWith("src/A.java is locked (exclusive) by " + id + " (auth API) until ");

            Run own = coord(Map.of("COORD_ENFORCE", "deny"), hookInput.formatted("session-server"), "hook", "pre-edit");
            assertThat(own.code()).isZero();
            assertThat(own.out()).isEmpty();

            Run check = coord(Map.of(), "", "locks", "check", "src/A.java");
            assertThat(check.code()).isEqualTo(10);

            assertThat(coord(Map.of(), "", "status", "--json").out())
                    .as("the CLI registered nothing")
                    .contains(id)
                    .doesNotContain("\"role\" : \"cli\"");
        }
        Run after = coord(Map.of("COORD_ENFORCE", "deny"), hookInput.formatted("session-other"), "hook", "pre-edit");
        assertThat(after.out()).as("the server released its lock when it ended").isEmpty();
    }

    /** Runs outside any Claude Code session or coord setting of the machine running the build. */
    private static void clean(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(k -> k.startsWith("CLAUDE_") || k.startsWith("COORD_"));
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=t@example.com"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + out;
    }

    @Test
    void initInstallsAPreCommitHookThatGitRunsAgainstALiveServersLock() throws Exception {
        assertThat(git(repo, "init", "-q", "-b", "main")).startsWith("0:");
        Files.writeString(repo.resolve("A.java"), "class A {}\n");
        Files.writeString(repo.resolve("B.java"), "class B {}\n");

        // init never points into the build folder: install a copy first (under a scratch XDG_DATA_HOME)
        Map<String, String> share =
                Map.of("XDG_DATA_HOME", repo.getParent().resolve("share").toString());
        Run install = coord(share, "", "install");
        assertThat(install.code()).as(install.err()).isZero();
        Run init = coord(share, "", "init", "--hooks", "--legacy-hooks");
        assertThat(init.code()).as(init.err()).isZero();
        assertThat(Files.readString(repo.resolve(".mcp.json")))
                .contains(repo.getParent().resolve("share").resolve("coord").toString())
                .doesNotContain(CoordProcess.jar().toString());
        assertThat(Files.readString(repo.resolve(".claude/settings.json"))).contains("coord.jar hook pre-edit");
        assertThat(coord(share, "", "init", "--hooks", "--legacy-hooks").out()).contains(".mcp.json: unchanged");

        try (CoordProcess server = new CoordProcess(repo, Map.of())) {
            String id = (String)
                    server.ok("register_instance", Map.of("task", "auth API")).get("instance_id");
            server.ok("acquire_lock", Map.of("paths", List.of("A.java")));

            assertThat(git(repo, "add", "B.java")).startsWith("0:");
            assertThat(git(repo, "commit", "-q", "-m", "free file")).startsWith("0:");

            assertThat(git(repo, "add", "A.java")).startsWith("0:");
            String refused = git(repo, "commit", "-q", "-m", "locked file");
            assertThat(refused).startsWith("1:").contains("commit refused", "A.java is locked by " + id);
        }
        assertThat(git(repo, "commit", "-q", "-m", "after the server ended")).startsWith("0:");
    }
}
