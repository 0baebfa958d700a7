package dev.coord.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** One way of starting the server: a name and the full command line. */
record Launch(String name, List<String> command) {
    static final List<String> MCP_OPTS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
    static final String JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

    static Launch of(String name, String java, List<String> opts, Path jar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(opts);
        cmd.add("-jar");
        cmd.add(jar.toString());
        return new Launch(name, List.copyOf(cmd));
    }

    /**
     * How the scenarios start a server: {@code -Dbench.launcher=PATH} (a launcher script such as the {@code bin/coord}
     * that {@code coord install} writes); else {@code -Dbench.launch=mcp} for the project's {@code .mcp.json} command;
     * else (the default) the launcher of a {@code coord install} that the driver makes once into
     * {@code bench/target/install}: the newest Java it finds and the start-up archive made for it, what a user of
     * {@code init} gets.
     */
    static Launch server(Env env) {
        String launcher = System.getProperty("bench.launcher", "").trim();
        if (!launcher.isEmpty()) {
            return new Launch("launcher " + launcher, List.of(launcher));
        }
        if (System.getProperty("bench.launch", "installed").equals("mcp")) {
            return fromMcpJson(env.root);
        }
        return env.installed();
    }

    /** The command of the project's {@code .mcp.json}, with {@code ${CLAUDE_PROJECT_DIR:-.}} set to the root. */
    static Launch fromMcpJson(Path root) {
        try {
            JsonNode server = Rpc.JSON
                    .readTree(Files.readString(root.resolve(".mcp.json")))
                    .path("mcpServers")
                    .path("coord");
            List<String> cmd = new ArrayList<>();
            cmd.add(expand(server.path("command").asString(), root));
            for (JsonNode a : server.path("args")) {
                cmd.add(expand(a.asString(), root));
            }
            if (cmd.get(0).equals("java")) {
                // resolve through PATH exactly as a client would; keep it as is.
                cmd.set(0, "java");
            }
            // extra JVM options for profiling runs, e.g. -Dbench.server.opts=-XX:StartFlightRecording=...
            String extra = System.getProperty("bench.server.opts", "").trim();
            if (!extra.isEmpty()) {
                cmd.addAll(1, List.of(extra.split("\\s+")));
            }
            return new Launch("as in .mcp.json", List.copyOf(cmd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String expand(String s, Path root) {
        return s.replace("${CLAUDE_PROJECT_DIR:-.}", root.toString()).replace("${CLAUDE_PROJECT_DIR}", root.toString());
    }

    Rpc spawn(Path repo, Map<String, String> env, Path stderrLog) {
        return Rpc.spawn(command, repo, env, stderrLog);
    }

    /** The command with the project root shortened, for tables. */
    String shown(Path root) {
        return String.join(" ", command)
                .replace(root.toString() + "/", "")
                .replaceAll("bench/target/install/[^/ ]+/", "install/")
                .replace("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java", "temurin-25/java");
    }
}
