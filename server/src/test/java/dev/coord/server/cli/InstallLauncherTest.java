package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java that {@code coord install} pins ({@link JavaFinder#choose}) and the launcher it writes
 * ({@link InstallCommand#launcher}), with fake {@code java} scripts: which Java wins, and that the launcher falls back
 * cleanly (no archive option when the archive is gone, the {@code java} on PATH when the pinned Java is gone) without
 * printing on stdout.
 */
class InstallLauncherTest {
    @TempDir
    Path dir;

    /** A fake java: answers {@code -version} like a JDK of that feature version, else records its arguments. */
    private Path fakeJava(String name, String versionLine) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin"));
        Path java = home.resolve("java");
        Files.writeString(
                java,
                "#!/bin/sh\n"
                        + "if [ \"$1\" = -version ]; then echo '" + versionLine + "' >&2; exit 0; fi\n"
                        + "printf '%s\\n' \"" + name + "\" \"$@\" > \"$ARGS_FILE\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    record Run(int code, String out, String err, List<String> args) {}

    private Run runLauncher(Path launcher, Path pathDir) throws Exception {
        Path args = dir.resolve("args.txt");
        Files.deleteIfExists(args);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", launcher.toString(), "serve");
        pb.environment().put("ARGS_FILE", args.toString());
        pb.environment().put("PATH", pathDir + ":/usr/bin:/bin");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(out),
                Files.readString(err),
                Files.isRegularFile(args) ? Files.readAllLines(args) : List.of());
    }

    private Path writeLauncher(JavaFinder.Java java, Path archive, boolean aot) throws IOException {
        Path launcher = dir.resolve("coord-launcher");
        Files.writeString(
                launcher,
                InstallCommand.launcher(
                        java,
                        dir.resolve("coord.jar"),
                        archive,
                        aot,
                        InstallCommand.MAP_AT_ADDRESS,
                        InstallCommand.TRIM_NATIVE_HEAP));
        return launcher;
    }

    @Test
    void theNewestJava17OrLaterWinsAndCoordJavaChoosesOne() throws Exception {
        Path old = fakeJava("jdk11", "openjdk version \"11.0.2\" 2019-01-15");
        Path newest = fakeJava("jdk99", "openjdk version \"99\" 2099-01-01");
        Path j17 = fakeJava("jdk17", "openjdk version \"17.0.15\" 2025-04-15");
        Path broken = dir.resolve("broken/bin/java");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = String.join(
                ":",
                old.getParent().toString(),
                broken.getParent().toString(),
                j17.getParent().toString());

        JavaFinder.Java picked = JavaFinder.choose(
                Map.of("JAVA_HOME", newest.getParent().getParent().toString(), "PATH", path));
        assertThat(picked.feature()).isEqualTo(99);
        assertThat(picked.path()).isEqualTo(newest);

        // COORD_JAVA names one on purpose: it is used even when a newer one exists (a JDK home works too)
        JavaFinder.Java chosen = JavaFinder.choose(Map.of(
                "COORD_JAVA", j17.getParent().getParent().toString(),
                "JAVA_HOME", newest.getParent().getParent().toString(),
                "PATH", path));
        assertThat(chosen.feature()).isEqualTo(17);
        assertThat(chosen.path()).isEqualTo(j17.toAbsolutePath());

        assertThatThrownBy(() -> JavaFinder.choose(Map.of("COORD_JAVA", old.toString(), "PATH", path)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("COORD_JAVA=" + old)
                .hasMessageContaining("Java 11")
                .hasMessageContaining("needs Java 17");
        assertThatThrownBy(() -> JavaFinder.choose(Map.of("COORD_JAVA", broken.toString(), "PATH", path)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a Java that runs");
    }

    @Test
    void theLauncherRunsThePinnedJavaWithItsArchiveAndFallsBackWithoutIt() throws Exception {
        Path pinned = fakeJava("jdk25", "openjdk version \"25\" 2025-09-16");
        Path onPath = fakeJava("pathjdk", "openjdk version \"21\" 2023-09-19");
        Path archive = Files.writeString(dir.resolve("coord.aot"), "an archive");
        Path launcher = writeLauncher(new JavaFinder.Java(pinned, 25), archive, true);

        Run withArchive = runLauncher(launcher, onPath.getParent());
        assertThat(withArchive.code()).isZero();
        assertThat(withArchive.out()).isEmpty();
        assertThat(withArchive.args().get(0)).isEqualTo("jdk25");
        assertThat(withArchive.args())
                .contains(
                        "-XX:AOTCache=" + archive,
                        "-XX:ArchiveRelocationMode=0",
                        "-Xlog:all=warning:stderr",
                        "-XX:TrimNativeHeapInterval=5000")
                .endsWith("-jar", dir.resolve("coord.jar").toString(), "serve");

        // the archive removed: the same Java, no archive option (the JVM would complain about a missing file)
        Files.delete(archive);
        Run noArchive = runLauncher(launcher, onPath.getParent());
        assertThat(noArchive.code()).isZero();
        assertThat(noArchive.out()).isEmpty();
        assertThat(noArchive.args().get(0)).isEqualTo("jdk25");
        assertThat(noArchive.args()).noneMatch(a -> a.startsWith("-XX:AOTCache") || a.contains("Relocation"));
        assertThat(noArchive.args())
                .contains("-Xlog:all=warning:stderr", "-Xmx128m", "-XX:TrimNativeHeapInterval=5000");

        // the pinned Java removed (an upgrade): the java on PATH, without the archive made for the other one
        Files.writeString(archive, "an archive");
        Files.delete(pinned);
        Run gone = runLauncher(launcher, onPath.getParent());
        assertThat(gone.code()).isZero();
        assertThat(gone.out()).isEmpty();
        assertThat(gone.err()).contains(pinned.toString(), "is gone", "coord install");
        assertThat(gone.args().get(0)).isEqualTo("pathjdk");
        assertThat(gone.args()).noneMatch(a -> a.startsWith("-XX:AOTCache") || a.contains("Relocation"));
        assertThat(gone.args())
                .as("an option probed for the pinned Java is not given to another one")
                .noneMatch(a -> a.contains("TrimNativeHeap"))
                .contains("-Xmx128m", "-XX:MaxHeapFreeRatio=40");
    }

    @Test
    void anAppCdsLauncherUsesTheSharedArchiveOptions() throws Exception {
        Path pinned = fakeJava("jdk17", "openjdk version \"17.0.15\" 2025-04-15");
        Path archive = Files.writeString(dir.resolve("coord.jsa"), "an archive");
        Path launcher = writeLauncher(new JavaFinder.Java(pinned, 17), archive, false);
        Run run = runLauncher(launcher, dir);
        assertThat(run.code()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.args()).contains("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        assertThat(run.args()).noneMatch(a -> a.startsWith("-XX:AOTCache"));
    }

    @Test
    void aJavaThatRejectsTheMappingOptionDoesNotGetIt() throws Exception {
        Path picky = dir.resolve("picky/bin/java");
        Files.createDirectories(picky.getParent());
        Files.writeString(
                picky,
                "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = -XX:ArchiveRelocationMode=0 ] && exit 1; done\nexit 0\n");
        Files.setPosixFilePermissions(picky, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(InstallCommand.accepts(new JavaFinder.Java(picky, 99), InstallCommand.MAP_AT_ADDRESS))
                .isFalse();
        assertThat(InstallCommand.accepts(new JavaFinder.Java(picky, 99), List.of("-Xmx64m")))
                .isTrue();
    }
}
