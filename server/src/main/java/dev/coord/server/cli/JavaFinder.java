package dev.coord.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Java that {@code coord install} pins: {@code COORD_JAVA} when set, else the newest Java 17+ among
 * {@code JAVA_HOME}, the {@code java} on {@code PATH}, {@code /usr/lib/jvm/*}, {@code /opt/java/*} and SDKMAN's
 * candidates.
 */
final class JavaFinder {
    static final int MINIMUM = 17;
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

    /** A Java executable and its feature version (17, 21, 25...). */
    record Java(Path path, int feature) {}

    private JavaFinder() {}

    static Java choose(Map<String, String> env) {
        String chosen = env.get("COORD_JAVA");
        if (chosen != null && !chosen.isBlank()) {
            Path p = Path.of(chosen.strip());
            if (Files.isDirectory(p)) {
                p = p.resolve("bin").resolve("java");
            }
            int v = feature(p);
            if (v < MINIMUM) {
                throw new IllegalStateException("COORD_JAVA=" + chosen + " is "
                        + (v < 0 ? "not a Java that runs" : "Java " + v) + "; coord needs Java " + MINIMUM + "+");
            }
            return new Java(p.toAbsolutePath(), v);
        }
        Java best = null;
        for (Path candidate : candidates(env)) {
            int v = feature(candidate);
            if (v >= MINIMUM && (best == null || v > best.feature())) {
                best = new Java(candidate, v);
            }
        }
        if (best == null) {
            throw new IllegalStateException("no Java " + MINIMUM + "+ found (looked at JAVA_HOME, PATH, /usr/lib/jvm,"
                    + " /opt/java, ~/.sdkman); install one or set COORD_JAVA");
        }
        return best;
    }

    static List<Path> candidates(Map<String, String> env) {
        Set<Path> out = new LinkedHashSet<>();
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            out.add(Path.of(javaHome, "bin", "java"));
        }
        String path = env.getOrDefault("PATH", "");
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isBlank()) {
                Path j = Path.of(d, "java");
                if (Files.isExecutable(j)) {
                    out.add(realOrSelf(j));
                }
            }
        }
        List<Path> roots = new ArrayList<>(List.of(Path.of("/usr/lib/jvm"), Path.of("/opt/java")));
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home, ".sdkman", "candidates", "java"));
        }
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
                for (Path d : dirs) {
                    Path j = d.resolve("bin").resolve("java");
                    if (Files.isExecutable(j)) {
                        out.add(realOrSelf(j));
                    }
                }
            } catch (IOException e) {
                // an unreadable folder has no Java for us
            }
        }
        return new ArrayList<>(out);
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** The feature version {@code java -version} reports, or -1. */
    static int feature(Path java) {
        if (!Files.isExecutable(java)) {
            return -1;
        }
        try {
            Process p = new ProcessBuilder(java.toString(), "-version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return parse(out);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code version "17.0.15"} is 17, {@code version "1.8.0_402"} is 8, {@code version "25"} is 25. */
    static int parse(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        if (!m.find()) {
            return -1;
        }
        int first = Integer.parseInt(m.group(1));
        if (first == 1 && m.group(2) != null) {
            return Integer.parseInt(m.group(2));
        }
        return first;
    }
}
