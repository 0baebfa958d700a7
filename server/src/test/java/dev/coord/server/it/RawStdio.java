package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real {@code coord.jar} server driven with raw JSON-RPC lines over its pipes: every stdout line is kept, every
 * message queued for {@link #next}; stderr goes to {@code stderr.log} in the repository.
 */
final class RawStdio implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    final Process process;
    /** The server's stdin. */
    final OutputStream in;

    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final List<String> stdout = new ArrayList<>();
    private final Thread reader;

    private RawStdio(Process process) {
        this.process = process;
        this.in = process.getOutputStream();
        reader = new Thread(this::read, "raw-stdio-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code java -jar coord.jar} for {@code repo}, without the caller's {@code COORD_*} variables, then with
     * {@code env}.
     */
    static RawStdio start(Path repo, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                CoordProcess.java(), "-jar", CoordProcess.jar().toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("COORD_"));
        pb.environment().put("CLAUDE_PROJECT_DIR", repo.toString());
        pb.environment().putAll(env);
        pb.redirectError(repo.resolve("stderr.log").toFile());
        return new RawStdio(pb.start());
    }

    private void read() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stdout) {
                    stdout.add(line);
                }
                messages.add(JSON.readTree(line));
            }
        } catch (Exception e) {
            messages.add(JSON.createObjectNode().put("reader_failed", e.toString()));
        }
    }

    void send(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The next message from the server, waiting at most 30 s. */
    JsonNode next() throws InterruptedException {
        JsonNode n = messages.poll(30, TimeUnit.SECONDS);
        assertThat(n).as("no answer from the server").isNotNull();
        return n;
    }

    /** {@code initialize} answered by coord, then {@code notifications/initialized}. */
    void initialize() throws Exception {
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        JsonNode init = next();
        assertThat(init.path("result").path("serverInfo").path("name").asString())
                .as(init.toString())
                .isEqualTo("coord");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    /** The stdout lines read so far. */
    List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** Waits at most {@code millis} for the end of the server's stdout to be read. */
    void awaitEndOfStdout(long millis) throws InterruptedException {
        reader.join(millis);
    }

    /** Every stdout line so far is one JSON-RPC 2.0 object. */
    void assertStdoutIsJsonRpcOnly() {
        for (String line : stdout()) {
            JsonNode msg = JSON.readTree(line);
            assertThat(msg.isObject()).as(line).isTrue();
            assertThat(msg.path("jsonrpc").asString()).as(line).isEqualTo("2.0");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
