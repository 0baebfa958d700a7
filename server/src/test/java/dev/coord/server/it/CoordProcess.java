package dev.coord.server.it;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real {@code coord.jar} server process driven by the SDK's own MCP client over stdio. */
final class CoordProcess implements AutoCloseable {
    static Path jar() {
        Path jar = Path.of(System.getProperty("coord.jar", "target/coord.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("coord.jar not found at " + jar + ": run the package phase first");
        }
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    final McpSyncClient client;
    final List<String> stderr = new CopyOnWriteArrayList<>();

    CoordProcess(Path projectDir, Map<String, String> extraEnv) {
        this(projectDir, extraEnv, List.of(java(), "-jar", jar().toString()));
    }

    /** A server started by {@code command} (its first element is the program), e.g. inside a mount namespace. */
    CoordProcess(Path projectDir, Map<String, String> extraEnv, List<String> command) {
        Map<String, String> env = new HashMap<>();
        env.put("CLAUDE_PROJECT_DIR", projectDir.toString());
        env.putAll(extraEnv);
        ServerParameters params = ServerParameters.builder(command.get(0))
                .args(command.subList(1, command.size()))
                .env(env)
                .build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(stderr::add);
        client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(30))
                .clientInfo(McpSchema.Implementation.builder("coord-it", "1.0").build())
                .build();
        client.initialize();
    }

    CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> ok(String tool, Map<String, Object> args) {
        CallToolResult r = call(tool, args);
        if (Boolean.TRUE.equals(r.isError())) {
            throw new AssertionError(
                    tool + " failed: " + r.content() + "\nserver stderr:\n" + String.join("\n", stderr));
        }
        return (Map<String, Object>) r.structuredContent();
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
