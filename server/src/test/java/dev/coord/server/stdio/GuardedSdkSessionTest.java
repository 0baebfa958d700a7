package dev.coord.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real SDK stdio server behind the guard, over pipes: bad lines get answers and the session lives on. */
@Timeout(60)
class GuardedSdkSessionTest {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    private final RecordingOutputStream stdout = new RecordingOutputStream();
    private final CountDownLatch onEof = new CountDownLatch(1);
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
        guard = new JsonRpcInputGuard(stdin, writer, onEof::countDown);
        server = McpServer.sync(new StdioServerTransportProvider(
                        McpJsonDefaults.getMapper(), guard.sdkInput(), writer.newStream()))
                .serverInfo("t", "1")
                .capabilities(ServerCapabilities.builder().tools(true).build())
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
    void sessionSurvivesGarbageBlankAndEmptyObject() throws Exception {
        send(INITIALIZE);
        JsonNode initialized = reply();
        assertThat(initialized.get("id").asInt()).isEqualTo(1);
        assertThat(initialized.get("result").get("protocolVersion").stringValue())
                .isEqualTo("2025-06-18");
        assertThat(initialized.get("result").get("serverInfo").get("name").stringValue())
                .isEqualTo("t");
        send(INITIALIZED);

        send("this is not json");
        JsonNode parseError = reply();
        assertThat(parseError.get("id").isNull()).isTrue();
        assertThat(parseError.get("error").get("code").asInt()).isEqualTo(-32700);

        send("");
        send("{}");
        JsonNode invalid = reply();
        assertThat(invalid.get("id").isNull()).isTrue();
        assertThat(invalid.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(invalid.get("error").get("message").stringValue())
                .isEqualTo("Invalid Request: jsonrpc must be \"2.0\"");

        send(TOOLS_LIST);
        JsonNode tools = reply();
        assertThat(tools.get("id").asInt()).isEqualTo(2);
        assertThat(tools.get("result").get("tools").isArray()).isTrue();
        assertThat(tools.has("error")).isFalse();
        assertThat(stdout.pending()).isEmpty();
    }

    /** Lines the guard lets through, chosen at the edges of what the SDK's transport accepts. */
    @Test
    void linesTheGuardPassesDoNotEndTheSession() throws Exception {
        send(INITIALIZE);
        assertThat(reply().get("id").asInt()).isEqualTo(1);
        send(INITIALIZED);

        send("\uFEFF{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
        assertThat(reply().get("id").asInt()).isEqualTo(3);
        send("{\"jsonrpc\":\"2.0\",\r\"id\":4,\"method\":\"ping\"}");
        assertThat(reply().get("id").asInt()).isEqualTo(4);
        send("{\"jsonrpc\":\"2.0\",\"id\":\"five\",\"method\":\"ping\",\"params\":{\"n\":1e400,\"x\":" + "[".repeat(480)
                + "]".repeat(480) + "}}");
        assertThat(reply().get("id").stringValue()).isEqualTo("five");
        send("{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"method\":\"ping\"}");
        assertThat(reply().get("id").asLong()).isEqualTo(Long.MAX_VALUE);
        send("{\"jsonrpc\":\"2.0\",\"id\":77,\"result\":{}}");
        send("{\"jsonrpc\":\"2.0\",\"id\":78,\"error\":{\"code\":-1,\"message\":\"no\"},\"result\":null}");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/unknown\",\"params\":5}");

        send(TOOLS_LIST);
        assertThat(reply().get("id").asInt()).isEqualTo(2);
        assertThat(stdout.pending()).isEmpty();
    }

    @Test
    void endOfStdinRunsOnEofThenEndsTheSdkSession() throws Exception {
        send(INITIALIZE);
        assertThat(reply().get("id").asInt()).isEqualTo(1);

        client.close();

        guard.awaitSdkEndOfInput();
        assertThat(onEof.getCount()).isZero();
    }

    private void send(String line) throws IOException {
        client.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        client.flush();
    }

    private JsonNode reply() throws InterruptedException {
        return JsonMapper.shared().readTree(stdout.nextLine());
    }
}
