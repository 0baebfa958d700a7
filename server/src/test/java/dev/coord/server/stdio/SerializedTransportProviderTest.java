package dev.coord.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real SDK stdio server whose tool calls all finish at the same moment: through the serializing provider every
 * one of them is answered (the SDK's own transport loses some of these answers).
 */
@Timeout(120)
class SerializedTransportProviderTest {
    private static final int PARALLEL = 16;
    private static final int ROUNDS = 200;

    private final RecordingOutputStream stdout = new RecordingOutputStream();
    private final CyclicBarrier together = new CyclicBarrier(PARALLEL);
    private OutputStream client;
    private InputStream stdin;
    private JsonRpcInputGuard guard;
    private McpSyncServer server;

    @BeforeEach
    void startServer() throws IOException {
        Pipe pipe = Pipe.open();
        client = Channels.newOutputStream(pipe.sink());
        stdin = Channels.newInputStream(pipe.source());
        LineWriter writer = new LineWriter(stdout);
        guard = new JsonRpcInputGuard(stdin, writer, () -> {});
        var mapper = McpJsonDefaults.getMapper();
        Tool gate = Tool.builder("gate", mapper, "{\"type\":\"object\"}").build();
        server = McpServer.sync(new SerializedTransportProvider(
                        new StdioServerTransportProvider(mapper, guard.sdkInput(), writer.newStream())))
                .serverInfo("t", "1")
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .tools(SyncToolSpecification.builder()
                        .tool(gate)
                        .callHandler((exchange, request) -> {
                            try {
                                together.await(30, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                return CallToolResult.builder()
                                        .isError(true)
                                        .addTextContent(e.toString())
                                        .build();
                            }
                            return CallToolResult.builder().addTextContent("ok").build();
                        })
                        .build())
                .build();
        guard.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        guard.close();
        server.close();
        client.close();
        stdin.close();
    }

    @Test
    void toolCallsEndingTogetherAreAllAnswered() throws Exception {
        send("{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
        assertThat(reply().path("id").asString()).isEqualTo("init");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < PARALLEL; i++) {
                burst.append("{\"jsonrpc\":\"2.0\",\"id\":\"")
                        .append(round)
                        .append('-')
                        .append(i)
                        .append("\",\"method\":\"tools/call\",\"params\":{\"name\":\"gate\",\"arguments\":{}}}\n");
            }
            client.write(burst.toString().getBytes(StandardCharsets.UTF_8));
            client.flush();
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < PARALLEL; i++) {
                JsonNode answer = reply();
                assertThat(answer.path("result").path("isError").asBoolean(false))
                        .as(answer.toString())
                        .isFalse();
                answered.add(answer.path("id").asString());
            }
            assertThat(answered).as("round %d", round).hasSize(PARALLEL);
        }
    }

    private void send(String line) throws IOException {
        client.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        client.flush();
    }

    private JsonNode reply() throws InterruptedException {
        String line = stdout.nextLine();
        assertThat(line).as("an answer on stdout").isNotNull();
        return JsonMapper.shared().readTree(line);
    }
}
