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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code coord install} through the real jar, and {@code init} pointing at the installed copy. */
class InstallIT {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    private Run run(Path cwd, Map<String, String> env, String stdin, List<String> cmd)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CLAUDE_") || k.startsWith("COORD_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run coord(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(CoordProcess.java(), "-jar", CoordProcess.jar().toString()));
        cmd.addAll(List.of(args));
        return run(cwd, env, "", cmd);
    }

    @Test
    void installCopiesTheJarWithAPinnedLauncherAndArchiveAndInitPointsThere() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Path repo = Files.createDirectories(dir.resolve("repo")).toRealPath();
        Map<String, String> env = Map.of("XDG_DATA_HOME", share.toString());

        Run install = coord(dir, env, "install");
        assertThat(install.code()).as(install.err()).isZero();
        Path versions = share.resolve("coord");
        List<Path> installed;
        try (Stream<Path> s = Files.list(versions)) {
            installed = s.toList();
        }
        assertThat(installed).hasSize(1);
        Path home = installed.get(0);
        assertThat(Files.mismatch(home.resolve("coord.jar"), CoordProcess.jar()))
                .isEqualTo(-1L);
        Path launcher = home.resolve("bin/coord");
        assertThat(Files.isExecutable(launcher)).isTrue();
        boolean archive =
                Files.isRegularFile(home.resolve("coord.jsa")) || Files.isRegularFile(home.resolve("coord.aot"));
        assertThat(archive).as(install.out()).isTrue();
        assertThat(install.out()).contains("installed coord", "java: ", "start-up archive: " + home);

        // the launcher runs the server: stdout carries JSON-RPC only, even with the archive in use
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n";
        Run served = run(repo, Map.of("CLAUDE_PROJECT_DIR", repo.toString()), init, List.of(launcher.toString()));
        assertThat(served.out().lines().toList()).singleElement().satisfies(line -> assertThat(JsonMapper.builder()
                        .build()
                        .readTree(line)
                        .path("result")
                        .path("serverInfo")
                        .path("name")
                        .asString())
                .isEqualTo("coord"));

        // a corrupt (or stale) archive still starts, with the JVM's complaint on stderr and JSON-RPC only on stdout;
        // so does a removed one
        Path made =
                Files.isRegularFile(home.resolve("coord.aot")) ? home.resolve("coord.aot") : home.resolve("coord.jsa");
        byte[] good = Files.readAllBytes(made);
        Files.writeString(made, "not an archive");
        Run corrupt = run(repo, Map.of("CLAUDE_PROJECT_DIR", repo.toString()), init, List.of(launcher.toString()));
        assertThat(corrupt.out().lines().toList())
                .as(corrupt.err())
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\""));
        assertThat(corrupt.err()).containsAnyOf("archive", "AOT cache", "CDS");
        Files.delete(made);
        Run missing = run(repo, Map.of("CLAUDE_PROJECT_DIR", repo.toString()), init, List.of(launcher.toString()));
        assertThat(missing.out().lines().toList())
                .as(missing.err())
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\""));
        Files.write(made, good);

        // init run from the build folder points at the installed copy, through its launcher
        Run initRun = coord(repo, env, "init", "--hooks");
        assertThat(initRun.code()).as(initRun.err()).isZero();
        JsonNode entry = JsonMapper.builder()
                .build()
                .readTree(Files.readString(repo.resolve(".mcp.json")))
                .path("mcpServers")
                .path("coord");
        assertThat(entry.path("command").asString()).isEqualTo(launcher.toString());
        assertThat(entry.path("alwaysLoad").asBoolean(false)).isTrue();
        assertThat(Files.readString(repo.resolve(".mcp.json"))).doesNotContain("target");

        // without an installed copy, init from the build folder refuses and says what to do
        Path other = Files.createDirectories(dir.resolve("other")).toRealPath();
        Run refused = coord(other, Map.of("XDG_DATA_HOME", dir.resolve("empty").toString()), "init");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("build folder", "coord install");
        assertThat(other.resolve(".mcp.json")).doesNotExist();
    }
}
