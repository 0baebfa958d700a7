package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/coord}: finds a suitable Java, says clearly when there is none, runs the jar. */
class LauncherIT {
    static final Path LAUNCHER = Path.of("..", "bin", "coord").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private record Run(int exit, String stdout, String stderr) {}

    private Run run(Map<String, String> env, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = LAUNCHER.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("COORD_JAR", CoordProcess.jar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void runsTheJarWithTheJavaItFinds() throws Exception {
        Run r = run(Map.of(), "--version");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout() + r.stderr()).contains("coord");
    }

    @Test
    void refusesAJavaOlderThan17WithAClearMessage() throws Exception {
        Path fake = tmp.resolve("old-java");
        Files.writeString(fake, "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = run(Map.of("COORD_JAVA", fake.toString()), "--version");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("is Java 11").contains("needs Java 17 or newer");
    }

    @Test
    void aCoordJavaThatDoesNotExistFailsInsteadOfFallingBack() throws Exception {
        Run r = run(Map.of("COORD_JAVA", "/nonexistent/java"), "--version");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("COORD_JAVA=/nonexistent/java is not an executable file");
        Run bare = run(Map.of("COORD_JAVA", "no-such-java-command"), "--version");
        assertThat(bare.exit()).isEqualTo(3);
        assertThat(bare.stderr()).contains("COORD_JAVA=no-such-java-command");
    }

    @Test
    void saysWhereTheJarShouldBe() throws Exception {
        Run r = run(Map.of("COORD_JAR", tmp.resolve("missing.jar").toString()));
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.stderr()).contains("missing.jar not found");
    }
}
