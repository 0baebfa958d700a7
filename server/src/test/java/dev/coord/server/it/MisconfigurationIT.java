package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No silent misconfiguration: the server, the command line and both hooks of the real {@code coord.jar} apply the
 * same checks and say what is wrong. The server and the command line fail (2: bad configuration, 3: state
 * unavailable); the hooks, which must never stop work because coord cannot run, say so on stderr and let the edit or
 * the commit through.
 */
class MisconfigurationIT {
    @TempDir
    Path tmp;

    Path repo;

    private record Run(int exit, String stdout, String stderr) {}

    @BeforeEach
    void repo() throws Exception {
        repo = Files.createDirectories(tmp.resolve("repo"));
        git(repo, "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("a.txt"), "a\n");
        git(repo, "add", "a.txt");
        git(repo, "commit", "-q", "-m", "first");
    }

    private static Run run(Path cwd, Map<String, String> env, String stdin, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("COORD_") || k.equals("CLAUDE_PROJECT_DIR"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(cwd.getParent(), "out", ".txt");
        Path err = Files.createTempFile(cwd.getParent(), "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Run coord(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(CoordProcess.java(), "-jar", CoordProcess.jar().toString()));
        cmd.addAll(List.of(args));
        return run(repo, env, stdin, cmd);
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("git %s", String.join(" ", args)).isZero();
    }

    private String editInput() {
        return "{\"session_id\":\"s\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Edit\",\"cwd\":\"" + repo
                + "\",\"tool_input\":{\"file_path\":\"" + repo.resolve("a.txt") + "\"}}";
    }

    /** The same bad setting seen from the server, the command line and the edit hook. */
    private void everyEntryPointSays(Map<String, String> env, int exit, String... words) throws Exception {
        Run server = coord(env, "");
        assertThat(server.exit()).as("server: %s", server.stderr()).isEqualTo(exit);
        assertThat(server.stdout()).as("stdout carries JSON-RPC only").isEmpty();
        assertThat(server.stderr()).contains(words);

        Run status = coord(env, "", "status");
        assertThat(status.exit())
                .as("status: %s%s", status.stdout(), status.stderr())
                .isEqualTo(exit);
        assertThat(status.stderr()).contains(words);
        assertThat(status.stdout()).doesNotContain("Instances");

        Run edit = coord(env, editInput(), "hook", "pre-edit");
        assertThat(edit.exit())
                .as("pre-edit fails open (1 is non-blocking for Claude Code)")
                .isEqualTo(1);
        assertThat(edit.stderr()).contains(words);
    }

    @Test
    void aStateDirectoryBelowARegularFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        everyEntryPointSays(
                Map.of("COORD_STATE_DIR", file.resolve("state").toString()),
                3,
                "not a directory: " + file + " is a regular file");
    }

    @Test
    void aProjectDirectoryThatDoesNotExist() throws Exception {
        everyEntryPointSays(
                Map.of("CLAUDE_PROJECT_DIR", tmp.resolve("nowhere").toString()),
                2,
                "CLAUDE_PROJECT_DIR='" + tmp.resolve("nowhere") + "' names no directory");
    }

    @Test
    void aLockTtlOfZero() throws Exception {
        everyEntryPointSays(Map.of("COORD_LOCK_TTL", "0"), 2, "COORD_LOCK_TTL must be between 10s");
    }

    @Test
    void aStateDirectoryThatCannotBeCreatedKeepsItsCause() throws Exception {
        Run server = coord(Map.of("COORD_STATE_DIR", "/proc/coordstate"), "");
        assertThat(server.exit()).isEqualTo(3);
        assertThat(server.stderr())
                .contains("cannot open the state directory /proc/coordstate: no such file or directory");
    }

    @Test
    void thePreCommitHookSaysCoordCannotRunAndLetsTheCommitThrough() throws Exception {
        Path jar = tmp.resolve("coord.jar");
        Files.copy(CoordProcess.jar(), jar);
        Run init = coord(Map.of(), "", "init", "--hooks", "--jar", jar.toString());
        assertThat(init.exit()).as(init.stderr()).isZero();

        // a malformed variable: the hook cannot check, says so, and the commit goes through
        Files.writeString(repo.resolve("a.txt"), "b\n");
        git(repo, "add", "a.txt");
        Run bad = run(
                repo,
                Map.of("COORD_LOCK_TTL", "0"),
                "",
                List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "two"));
        assertThat(bad.exit()).as(bad.stderr()).isZero();
        assertThat(bad.stderr())
                .contains("COORD_LOCK_TTL must be between 10s")
                .contains("coord could not run (exit 2, see above), so this commit is NOT checked");

        // the jar it names is gone: the same policy, said every time
        Files.delete(jar);
        Files.writeString(repo.resolve("a.txt"), "c\n");
        git(repo, "add", "a.txt");
        Run missing = run(
                repo,
                new HashMap<>(),
                "",
                List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "three"));
        assertThat(missing.exit()).as(missing.stderr()).isZero();
        assertThat(missing.stderr()).contains(jar + " is missing, so this commit is NOT checked");
    }
}
