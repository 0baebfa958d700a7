package dev.coord.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Where things are, and the output. */
final class Env {
    final Path root;
    final Path jar;
    final Path work;
    final Path stderrLog;
    final Path results;
    private int repos;
    private Launch installed;

    private Env(Path root) {
        this.root = root;
        this.jar = root.resolve("server/target/coord.jar");
        this.work = root.resolve("bench/target/work");
        this.stderrLog = root.resolve("bench/target/servers-stderr.log");
        this.results = root.resolve("bench/target/results.md");
    }

    static Env detect() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        Env env = new Env(root);
        if (!Files.isRegularFile(env.jar)) {
            throw new IllegalStateException(env.jar + " is missing: run from the project root after packaging");
        }
        Files.createDirectories(env.work);
        return env;
    }

    /** A new empty git repository for one scenario. */
    Path newRepo(String name) {
        try {
            Path repo = work.resolve(name + "-" + System.currentTimeMillis() + "-" + (repos++));
            Files.createDirectories(repo);
            Process p = new ProcessBuilder("git", "init", "-q", repo.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("git init failed in " + repo);
            }
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The launcher of a {@code coord install} into {@code bench/target/install} (made once per driver run, with
     * {@code COORD_JAVA} passed through): the Java it picks and the archive it makes, as users of {@code init} get
     * them.
     */
    synchronized Launch installed() {
        if (installed != null) {
            return installed;
        }
        try {
            Path dir = root.resolve("bench/target/install");
            Process p = new ProcessBuilder(java(), "-jar", jar.toString(), "install", "--dir", dir.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("coord install failed:\n" + out);
            }
            String launcher = null;
            String javaLine = "";
            String archive = "";
            for (String l : out.split("\n")) {
                if (l.startsWith("launcher: ")) {
                    launcher = l.substring("launcher: ".length()).strip();
                } else if (l.startsWith("java: ")) {
                    javaLine = l.substring("java: ".length()).strip();
                } else if (l.startsWith("start-up archive: ")) {
                    archive = l.contains("AOT cache") ? "AOT cache" : l.contains("AppCDS") ? "AppCDS" : "no archive";
                }
            }
            if (launcher == null) {
                throw new IllegalStateException("coord install did not name its launcher:\n" + out);
            }
            String feature = javaLine.replaceAll(".*\\((\\d+)\\)$", "$1");
            installed = new Launch("installed launcher (JDK " + feature + ", " + archive + ")", List.of(launcher));
            System.err.println("bench: servers start with " + installed.name() + ": " + launcher);
            return installed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The java launcher of this JVM (the JDK the driver runs on). */
    String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    void report(String markdown) {
        System.out.println(markdown);
        System.out.flush();
        try {
            Files.writeString(
                    results,
                    markdown + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-minute load average now, or empty. */
    static String load1() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "";
        }
    }

    /** The load average now, for the report: the machine may be shared. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "Load average at the start of this scenario: " + f[0] + " (1 min), " + f[1] + " (5 min).";
        } catch (IOException e) {
            return "";
        }
    }

    String machine() {
        String cpu = "?";
        long memKb = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // leave unknown
        }
        return String.format(
                Locale.ROOT,
                "Machine: %d cores (%s), %d MB RAM, %s %s, driver JDK %s.\n",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memKb / 1024,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.vm.version"));
    }
}
