package dev.coord.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A started {@link JsonRpcInputGuard} between an OS pipe standing in for stdin, a {@link RecordingOutputStream}
 * standing in for stdout, and the test reading the SDK side. Reads block; tests bound them with {@code @Timeout}.
 */
final class GuardHarness implements AutoCloseable {

    final RecordingOutputStream stdout = new RecordingOutputStream();
    final LineWriter writer = new LineWriter(stdout);
    final AtomicInteger eofCalls = new AtomicInteger();
    final JsonRpcInputGuard guard;
    private final OutputStream stdin;
    private final InputStream stdinSource;
    private final InputStream sdk;

    GuardHarness() throws IOException {
        this(JsonRpcInputGuard.DEFAULT_MAX_LINE_BYTES, () -> {});
    }

    GuardHarness(int maxLineBytes, Runnable onEof) throws IOException {
        Pipe pipe = Pipe.open();
        stdin = Channels.newOutputStream(pipe.sink());
        stdinSource = Channels.newInputStream(pipe.source());
        guard = new JsonRpcInputGuard(
                stdinSource,
                writer,
                () -> {
                    eofCalls.incrementAndGet();
                    onEof.run();
                },
                maxLineBytes);
        sdk = guard.sdkInput();
        guard.start();
    }

    void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        stdin.write(bytes);
        stdin.flush();
    }

    void endInput() throws IOException {
        stdin.close();
    }

    /** The next line the SDK reads, without its {@code '\n'}; fails on end of input. */
    byte[] nextSdkLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = sdk.read(); b != '\n'; b = sdk.read()) {
            assertThat(b)
                    .as("SDK side ended before a whole line; got so far: %s", line)
                    .isNotEqualTo(-1);
            line.write(b);
        }
        return line.toByteArray();
    }

    String nextSdkText() throws IOException {
        return new String(nextSdkLine(), StandardCharsets.UTF_8);
    }

    /** Asserts that the SDK side has nothing more than end of input. */
    void assertSdkSeesEnd() throws IOException {
        byte[] rest = sdk.readAllBytes();
        assertThat(new String(rest, StandardCharsets.UTF_8))
                .as("SDK side after the last expected line")
                .isEmpty();
    }

    /** The next error response the guard wrote, parsed. */
    JsonNode nextReply() throws InterruptedException {
        return JsonMapper.shared().readTree(stdout.nextLine());
    }

    @Override
    public void close() throws IOException {
        guard.close();
        stdin.close();
        stdinSource.close();
    }
}
