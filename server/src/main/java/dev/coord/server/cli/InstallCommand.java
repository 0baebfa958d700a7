package dev.coord.server.cli;

import dev.coord.server.ExitCodes;
import dev.coord.server.Version;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coord install}: copies this jar to a stable per-user place, {@code ~/.local/share/coord/<version>/}, with a
 * launcher pinned to the newest Java 17+ found and a class-data archive made for that Java (AppCDS; an AOT cache on
 * Java 25+), so that {@code init} never points into a build folder.
 */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        description = {
            "Copy coord.jar to ~/.local/share/coord/<version>/ (or $XDG_DATA_HOME/coord/<version>/) with a launcher"
                    + " bin/coord pinned to the newest Java 17+ found (COORD_JAVA chooses one) and a start-up archive"
                    + " made for it. Run it again after an upgrade, then coord init --force in each repository."
        })
final class InstallCommand implements Callable<Integer> {
    /** Java from this version on writes an AOT cache (JEP 514/515) instead of a classic AppCDS archive. */
    static final int AOT_FROM = 25;

    /** A short session that loads what a real one loads: the archive then maps those classes at every start. */
    static final String TRAINING = String.join(
                    "\n",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"install\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"status\","
                            + "\"arguments\":{}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"hook\","
                            + "\"arguments\":{\"event\":\"PreToolUse\",\"tool_name\":\"Write\",\"tool_input\":"
                            + "\"{\\\"file_path\\\":\\\"a.txt\\\"}\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"hook\","
                            + "\"arguments\":{\"event\":\"PostToolUse\",\"tool_name\":\"Write\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"release_lock\","
                            + "\"arguments\":{\"all\":true}}}")
            + "\n";

    private final CliEnv ctx;

    @Option(names = "--jar", description = "The coord.jar to install (default: this jar).")
    Path jar;

    @Option(names = "--dir", description = "Install under this directory instead of ~/.local/share/coord.")
    Path base;

    InstallCommand(CliEnv ctx) {
        this.ctx = ctx;
    }

    /** Where versions are installed: {@code $XDG_DATA_HOME/coord} or {@code ~/.local/share/coord}. */
    static Path defaultBase(java.util.Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "coord");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "share", "coord");
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path source = jar != null ? ctx.cwd().resolve(jar) : runningJar();
        if (source == null || !Files.isRegularFile(source)) {
            ctx.err()
                    .println("coord install: " + (source == null ? "not running from a jar" : source + ": no such file")
                            + "; give the jar with --jar PATH");
            return ExitCodes.USAGE;
        }
        JavaFinder.Java java;
        try {
            java = JavaFinder.choose(ctx.env());
        } catch (IllegalStateException e) {
            ctx.err().println("coord install: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        Path dir = (base != null ? ctx.cwd().resolve(base) : defaultBase(ctx.env())).resolve(Version.current());
        Files.createDirectories(dir.resolve("bin"));
        Path target = dir.resolve("coord.jar");
        Path tmp = dir.resolve("coord.jar.tmp");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dir.resolve("coord.jsa"));
        Files.deleteIfExists(dir.resolve("coord.aot"));
        boolean aot = java.feature() >= AOT_FROM;
        Path archive = dir.resolve(aot ? "coord.aot" : "coord.jsa");
        String made = train(java, target, archive, aot, dir);
        boolean haveArchive = Files.isRegularFile(archive);
        List<String> mapping = haveArchive && accepts(java, MAP_AT_ADDRESS) ? MAP_AT_ADDRESS : List.of();
        List<String> trim = accepts(java, TRIM_NATIVE_HEAP) ? TRIM_NATIVE_HEAP : List.of();
        Path launcher = dir.resolve("bin").resolve("coord");
        Files.writeString(launcher, launcher(java, target, haveArchive ? archive : null, aot, mapping, trim));
        try {
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            ctx.err().println("coord install: make " + launcher + " executable yourself");
        }
        ctx.out().println("installed coord " + Version.current() + " in " + dir);
        ctx.out().println("java: " + java.path() + " (" + java.feature() + ")");
        ctx.out().println("start-up archive: " + made);
        ctx.out().println("launcher: " + launcher);
        ctx.out()
                .println(
                        "in each repository: " + launcher + " init --hooks   (after an upgrade: init --hooks --force)");
        return ExitCodes.SUCCESS;
    }

    /**
     * Maps the class archive at the address it was made for instead of a random one (the JDK's default since 17.0.x
     * and 21): then the archive's pages stay clean, shared between every coord process through the page cache, instead
     * of being patched into private copies: about 13 MB less private memory per session (docs/performance.md). A
     * diagnostic option, so {@code install} adds it only when the pinned Java accepts it ({@link #accepts}); the JVM
     * still relocates the archive when that address is taken.
     */
    static final List<String> MAP_AT_ADDRESS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    /**
     * Gives the C library's free memory back to the system every 5 s (the JVM's native heap trimmer; a product option
     * since 17.0.9 and 21.0.1, absent from older updates, which would refuse to start with it): about 5 MB less
     * resident memory per idle session on JDK 25 (docs/performance.md). Added only when the pinned Java accepts it, and
     * only for that Java.
     */
    static final List<String> TRIM_NATIVE_HEAP = List.of("-XX:TrimNativeHeapInterval=5000");

    /** Whether this Java starts with these options ({@code java OPTIONS -version} exits 0 within 30 s). */
    static boolean accepts(JavaFinder.Java java, List<String> options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.path().toString());
        cmd.addAll(options);
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** The JVM options of a server start, as {@code init} writes them. */
    static List<String> startFlags(Path archive, boolean aot) {
        List<String> flags = new ArrayList<>(LaunchCommands.SERVER_FLAGS);
        flags.add("-Xlog:disable");
        flags.add("-Xlog:all=warning:stderr");
        if (archive != null) {
            flags.add(aot ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
            if (!aot) {
                flags.add("-Xshare:auto");
            }
        }
        return flags;
    }

    /** Runs the training session with the archive option; returns what was made, for the report. */
    private String train(JavaFinder.Java java, Path jarFile, Path archive, boolean aot, Path dir)
            throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory("coord-install-");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(java.path().toString());
            cmd.add(aot ? "-XX:AOTCacheOutput=" + archive : "-XX:ArchiveClassesAtExit=" + archive);
            cmd.addAll(LaunchCommands.SERVER_FLAGS);
            cmd.add("-Xlog:disable");
            cmd.add("-Xlog:all=error:stderr");
            cmd.add("-jar");
            cmd.add(jarFile.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(scratch.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(dir.resolve("install.log").toFile());
            pb.environment().put("CLAUDE_PROJECT_DIR", scratch.toString());
            pb.environment().put("COORD_STATE_DIR", scratch.resolve("state").toString());
            pb.environment().put("COORD_LOG_LEVEL", "warn");
            Process p = pb.start();
            try (var in = new ByteArrayInputStream(TRAINING.getBytes(StandardCharsets.UTF_8));
                    var stdin = p.getOutputStream()) {
                in.transferTo(stdin);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "none (the training run timed out; coord runs without it)";
            }
            return Files.isRegularFile(archive)
                    ? archive + (aot ? " (AOT cache)" : " (AppCDS)")
                    : "none (" + java.path() + " could not write one, see " + dir.resolve("install.log")
                            + "; coord runs without it)";
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * The launcher script: the pinned Java with the server options and the archive. It falls back cleanly, never
     * printing on stdout (the MCP channel): without the archive when the file is gone (a stale or mismatched one the
     * JVM itself ignores, with a warning on stderr), and to the {@code java} on {@code PATH} without the archive when
     * the pinned Java is gone (an upgrade removed it), saying so on stderr.
     *
     * @param mapping extra options that go with the archive ({@link #MAP_AT_ADDRESS} when the Java accepts them)
     * @param pinnedOnly options for the pinned Java only ({@link #TRIM_NATIVE_HEAP} when it accepts them), dropped
     *     with the fallback to the {@code java} on {@code PATH}
     */
    static String launcher(
            JavaFinder.Java java,
            Path jarFile,
            Path archive,
            boolean aot,
            List<String> mapping,
            List<String> pinnedOnly) {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        sb.append(
                "# coord launcher written by coord install: the Java it found and the start-up archive made for it.\n");
        sb.append("# stdout is the MCP channel: the JVM's own warnings and this script's notes go to stderr.\n");
        sb.append("java=")
                .append(LaunchCommands.shellQuote(java.path().toString()))
                .append('\n');
        sb.append("jar=").append(LaunchCommands.shellQuote(jarFile.toString())).append('\n');
        sb.append("archive=")
                .append(archive == null ? "" : LaunchCommands.shellQuote(archive.toString()))
                .append('\n');
        sb.append("pinned_only=")
                .append(LaunchCommands.shellQuote(String.join(" ", pinnedOnly)))
                .append('\n');
        sb.append("if [ ! -x \"$java\" ]; then\n");
        sb.append("  echo \"coord: $java is gone; running the java on PATH without the start-up archive"
                + " (run coord install again)\" >&2\n");
        sb.append("  java=java\n  archive=\n  pinned_only=\n");
        sb.append("fi\n");
        StringBuilder flags = new StringBuilder();
        for (String f : startFlags(null, aot)) {
            flags.append(' ').append(LaunchCommands.shellQuote(f));
        }
        flags.append(" $pinned_only");
        if (archive != null) {
            sb.append("if [ -n \"$archive\" ] && [ -f \"$archive\" ]; then\n");
            sb.append("  exec \"$java\"").append(flags);
            for (String m : mapping) {
                sb.append(' ').append(LaunchCommands.shellQuote(m));
            }
            sb.append(aot ? " -XX:AOTCache=\"$archive\"" : " -XX:SharedArchiveFile=\"$archive\" -Xshare:auto");
            sb.append(" -jar \"$jar\" \"$@\"\n");
            sb.append("fi\n");
        }
        sb.append("exec \"$java\"").append(flags).append(" -jar \"$jar\" \"$@\"\n");
        return sb.toString();
    }

    private static Path runningJar() {
        try {
            Path p = Path.of(Version.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
