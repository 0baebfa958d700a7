package dev.coord.server.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scratch git repository set up the way a user would: {@code git init}, one commit, then the real {@code coord
 * init} (with {@code --hooks} when asked) of a coord that {@code coord install} put in a scratch XDG_DATA_HOME. Starts Claude Code sessions in it and reads coord's
 * state through the jar's own CLI.
 */
public final class ClaudeRepo {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a CLI run printed. */
    public record Run(int code, String out, String err) {}

    /** The result of {@code coord install}: the built jar and the XDG_DATA_HOME it was installed into. */
    public record Installed(Path jar, Path dataHome) {
        Map<String, String> env() {
            return Map.of("XDG_DATA_HOME", dataHome.toString());
        }
    }

    /** Runs {@code coord install} of {@code jar} into {@code dataHome} (init never points into a build folder). */
    public static Installed install(Path jar, Path dataHome) throws IOException, InterruptedException {
        Installed installed = new Installed(jar, dataHome);
        Run r = new ClaudeRepo(dataHome, installed, null, null).coord(Map.of(), "install");
        if (r.code() != 0) {
            throw new IllegalStateException("coord install failed (" + r.code() + "): " + r.out() + r.err());
        }
        return installed;
    }

    public final Path dir;
    private final Installed installed;
    private final Path claude;
    private final Path homes;

    private ClaudeRepo(Path dir, Installed installed, Path claude, Path homes) {
        this.dir = dir;
        this.installed = installed;
        this.claude = claude;
        this.homes = homes;
    }

    /** Creates the repository under {@code parent}/repo and runs {@code coord init} with {@code initArgs}. */
    public static ClaudeRepo create(Path parent, Installed installed, Path claude, String... initArgs)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(parent.resolve("repo")).toRealPath();
        ClaudeRepo repo = new ClaudeRepo(dir, installed, claude, Files.createDirectories(parent.resolve("homes")));
        Files.writeString(dir.resolve("README.md"), "scratch repository\n");
        repo.git("init", "-q", "-b", "main");
        repo.git("add", "README.md");
        repo.git("commit", "-q", "-m", "start");
        List<String> init = new ArrayList<>(List.of("init"));
        init.addAll(List.of(initArgs));
        Run r = repo.coord(Map.of(), init.toArray(String[]::new));
        if (r.code() != 0) {
            throw new IllegalStateException("coord init failed (" + r.code() + "): " + r.out() + r.err());
        }
        return repo;
    }

    /** Starts a Claude Code session here with its own fresh HOME; {@code env} is added to its environment. */
    public ClaudeCode session(FakeAnthropicApi api, Map<String, String> env) throws IOException {
        UUID id = UUID.randomUUID();
        return ClaudeCode.start(
                new ClaudeCode.Options(claude, dir, homes.resolve(id.toString()), api.baseUrl(), id, env));
    }

    /** {@code coord status --json} through the jar. */
    public JsonNode status() throws IOException, InterruptedException {
        Run r = coord(Map.of(), "status", "--json");
        if (r.code() != 0) {
            throw new AssertionError("coord status failed (" + r.code() + "): " + r.err());
        }
        return JSON.readTree(r.out());
    }

    /** Runs the jar's CLI in the repository, outside any Claude Code session of the machine running the build. */
    public Run coord(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                installed.jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CLAUDE_") || k.startsWith("COORD_"));
        pb.environment().putAll(installed.env());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("coord-out", ".txt");
        Path err = Files.createTempFile("coord-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("coord " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=t@example.com"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Waits (polling the CLI, bounded) until {@code condition} holds for {@code coord status --json}. */
    public JsonNode awaitStatus(java.util.function.Predicate<JsonNode> condition, Duration timeout, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last;
        do {
            last = status();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("coord status never showed " + what + " within " + timeout + "; last: " + last);
    }
}
