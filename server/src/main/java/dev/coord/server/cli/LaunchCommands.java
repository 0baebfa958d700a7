package dev.coord.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How coord is launched from what {@code coord init} and {@code coord install} write: the JVM flags, the start-up
 * archive, the {@code .mcp.json} server entry, the command of the legacy edit hook and the git hook scripts, and the
 * shell quoting they all use. Pure: it writes nothing.
 */
final class LaunchCommands {
    static final String HOOK_MARKER = "# coord pre-commit hook";
    static final String PUSH_HOOK_MARKER = "# coord pre-push hook";
    static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
    /**
     * The server also gets a small initial heap (a small young generation keeps an idle server's memory low, see
     * docs/performance.md), a cap, and a heap that shrinks back at once after a full collection (the server runs one
     * when it falls idle after a burst of calls); the short-lived hooks do not need them.
     */
    static final List<String> SERVER_FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-Xms8m",
            "-Xmx128m",
            "-XX:-ShrinkHeapInSteps",
            "-XX:MinHeapFreeRatio=20",
            "-XX:MaxHeapFreeRatio=40");

    /**
     * When an AppCDS archive lies next to the jar ({@code coord.jsa} beside {@code coord.jar}, as the build makes it),
     * the server and the hooks start with it: about half the start-up CPU (docs/performance.md, docs/hooks.md). A
     * stale archive is ignored by the JVM, whose warning the {@code -Xlog} options keep off stdout (the JSON-RPC
     * channel of the server, the answer channel of the hooks).
     */
    static List<String> archiveFlags(String jarPath) {
        if (!jarPath.endsWith(".jar")) {
            return List.of();
        }
        String archive = jarPath.substring(0, jarPath.length() - ".jar".length()) + ".jsa";
        if (!Files.isRegularFile(Path.of(archive))) {
            return List.of();
        }
        return List.of("-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
    }

    static String hookJava(String jarPath) {
        List<String> flags = new ArrayList<>(JVM_FLAGS);
        archiveFlags(jarPath).forEach(f -> flags.add(shellQuote(f)));
        return "java " + String.join(" ", flags);
    }

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

    static ObjectNode serverEntry(String jarPath) {
        return serverEntry(jarPath, false);
    }

    /**
     * The {@code .mcp.json} entry: the launcher {@code coord install} wrote next to an installed jar (it pins the Java
     * its start-up archive was made for), else {@code java} with the start-up flags.
     *
     * @param alwaysLoad Claude Code waits for the server before the first turn (needed by the hooks)
     */
    static ObjectNode serverEntry(String jarPath, boolean alwaysLoad) {
        ObjectNode entry = JsonText.mapper().createObjectNode();
        Path launcher = Path.of(jarPath).resolveSibling("bin").resolve("coord");
        if (Files.isExecutable(launcher)) {
            entry.put("command", launcher.toString());
            entry.putArray("args");
        } else {
            entry.put("command", "java");
            ArrayNode args = entry.putArray("args");
            SERVER_FLAGS.forEach(args::add);
            archiveFlags(jarPath).forEach(args::add);
            args.add("-jar");
            args.add(jarPath);
        }
        if (alwaysLoad) {
            entry.put("alwaysLoad", true);
        }
        return entry;
    }

    static String preEditCommand(String jarPath) {
        return hookJava(jarPath) + " -jar " + shellQuote(jarPath) + " hook pre-edit";
    }

    static String preCommitScript(String jarPath) {
        return "#!/bin/sh\n"
                + HOOK_MARKER + ", installed by coord init --hooks: refuses commits of files another session\n"
                + "# holds an exclusive lock on. Set COORD_SESSION_ID to commit for a holder; git commit --no-verify"
                + " skips it.\n"
                + "# When coord cannot run, it says so and lets the commit through (docs/hooks.md).\n"
                + "jar=" + shellQuote(jarPath) + "\n"
                + "if [ ! -f \"$jar\" ]; then\n"
                + "  echo \"coord pre-commit: $jar is missing, so this commit is NOT checked against coord's locks."
                + " Fix it with coord init --hooks --force, or delete $0.\" >&2\n"
                + "  exit 0\n"
                + "fi\n"
                + hookJava(jarPath) + " -jar \"$jar\" hook pre-commit\n"
                + "rc=$?\n"
                + "[ $rc -eq 1 ] && exit 1\n"
                + "[ $rc -ne 0 ] && echo \"coord pre-commit: coord could not run (exit $rc, see above), so this commit is"
                + " NOT checked against coord's locks.\" >&2\n"
                + "exit 0\n";
    }

    static String prePushScript(String jarPath) {
        return "#!/bin/sh\n"
                + PUSH_HOOK_MARKER
                + ", installed by coord init --hooks: warns (never refuses) when the pushed commits\n"
                + "# would conflict with the branch of another live session. git push --no-verify skips it.\n"
                + "jar=" + shellQuote(jarPath) + "\n"
                + "[ -f \"$jar\" ] || exit 0\n"
                + "exec " + hookJava(jarPath) + " -jar \"$jar\" hook pre-push \"$@\"\n";
    }

    static String shellQuote(String s) {
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private LaunchCommands() {}
}
