package dev.coord.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

@Timeout(30)
class StdioGuardTest {

    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}";

    @Test
    void validRequestIsDeliveredUnchangedWithANewline() throws Exception {
        String request =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"s\":\"\u00e9\u20ac\ud83d\ude00\"}}";
        try (GuardHarness h = new GuardHarness()) {
            h.send(request);
            h.endInput();

            assertThat(h.nextSdkLine()).isEqualTo(request.getBytes(StandardCharsets.UTF_8));
            h.assertSdkSeesEnd();
            assertThat(h.stdout.chunks()).isEmpty();
        }
    }

    @Test
    void blankLinesAreDroppedSilently() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.sendRaw("\n   \n\t\n\r\n \r\n".getBytes(StandardCharsets.UTF_8));
            h.send(PING);
            h.endInput();

            assertThat(h.nextSdkText()).isEqualTo(PING);
            h.assertSdkSeesEnd();
            assertThat(h.stdout.chunks()).isEmpty();
        }
    }

    @Test
    void garbageGetsParseErrorWithNullId() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.send("hello there");
            h.send(PING);

            assertThat(h.stdout.nextLine())
                    .isEqualTo(
                            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
                                    + "\"message\":\"Parse error: Unrecognized token 'hello': expected a JSON value at column 1\"}}");
            assertThat(h.nextSdkText()).isEqualTo(PING);
        }
    }

    @Test
    void truncatedJsonGetsParseError() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"pi");

            JsonNode reply = h.nextReply();
            assertError(reply, "null", -32700, "Parse error: Unexpected end-of-input");
        }
    }

    @Test
    void emptyObjectGetsInvalidRequest() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.send("{}");

            assertThat(h.stdout.nextLine())
                    .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
                            + "\"message\":\"Invalid Request: jsonrpc must be \\\"2.0\\\"\"}}");
        }
    }

    @Test
    void emptyArrayAndBatchOfValidRequestsAreRefusedAsBatches() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.send("[]");
            h.send("[" + PING + ",{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]");
            h.send(PING);
            h.endInput();

            assertError(h.nextReply(), "null", -32600, "Invalid Request: batches are not supported");
            assertError(h.nextReply(), "null", -32600, "Invalid Request: batches are not supported");
            assertThat(h.nextSdkText()).isEqualTo(PING);
            h.assertSdkSeesEnd();
        }
    }

    @Test
    void otherNonObjectsGetInvalidRequest() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.send("42");
            h.send("\"ping\"");

            assertError(h.nextReply(), "null", -32600, "Invalid Request: expected a JSON object, got a number");
            assertError(h.nextReply(), "null", -32600, "Invalid Request: expected a JSON object, got a string");
        }
    }

    @Test
    void wrongJsonrpcVersionEchoesTheId() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.send("{\"jsonrpc\":\"1.0\",\"id\":17,\"method\":\"ping\"}");

            assertThat(h.stdout.nextLine())
                    .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":17,\"error\":{\"code\":-32600,"
                            + "\"message\":\"Invalid Request: jsonrpc must be \\\"2.0\\\"\"}}");
        }
    }

    @Test
    void missingMethodEchoesStringNumberAndNullIds() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.send("{\"jsonrpc\":\"2.0\",\"id\":\"req-7\",\"params\":{}}");
            h.send("{\"jsonrpc\":\"2.0\",\"id\":-12,\"params\":{}}");
            h.send("{\"jsonrpc\":\"2.0\",\"id\":null,\"params\":{}}");
            h.send("{\"jsonrpc\":\"2.0\",\"id\":{\"no\":1},\"params\":{}}");

            String reason = "Invalid Request: method is missing (or result/error, for a response)";
            assertError(h.nextReply(), "\"req-7\"", -32600, reason);
            assertError(h.nextReply(), "-12", -32600, reason);
            assertError(h.nextReply(), "null", -32600, reason);
            assertError(h.nextReply(), "null", -32600, reason);
        }
    }

    @Test
    void lineOverTheLimitIsAnsweredAndTheNextLineStillPasses() throws Exception {
        int fiveMiB = 5 * 1024 * 1024;
        byte[] huge = new byte[fiveMiB + 1];
        byte[] prefix = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"x\",\"params\":\"".getBytes(StandardCharsets.UTF_8);
        Arrays.fill(huge, (byte) 'a');
        System.arraycopy(prefix, 0, huge, 0, prefix.length);
        huge[fiveMiB - 2] = '"';
        huge[fiveMiB - 1] = '}';
        huge[fiveMiB] = '\n';
        try (GuardHarness h = new GuardHarness(4 * 1024 * 1024, () -> {})) {
            h.sendRaw(huge);
            h.send(PING);
            h.endInput();

            assertThat(h.stdout.nextLine())
                    .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
                            + "\"message\":\"Invalid Request: message larger than 4194304 bytes\"}}");
            assertThat(h.nextSdkText()).isEqualTo(PING);
            h.assertSdkSeesEnd();
        }
    }

    @Test
    void deepNestingAndHugeNumbersAreAnsweredAndReadingGoesOn() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.send("[".repeat(10_000) + "]".repeat(10_000));
            h.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":" + "{\"a\":".repeat(10_000) + "0"
                    + "}".repeat(10_001));
            h.send("{\"jsonrpc\":\"2.0\",\"id\":1e999999,\"method\":\"ping\"}");
            h.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":" + "7".repeat(5000) + "}");
            h.send(PING);

            assertError(h.nextReply(), "null", -32700, "Parse error: Document nesting depth (501) exceeds");
            assertError(h.nextReply(), "null", -32700, "Parse error: Document nesting depth (501) exceeds");
            assertError(h.nextReply(), "null", -32600, "Invalid Request: id must be a string or an integer");
            assertError(h.nextReply(), "null", -32700, "Parse error: Number value length (5000) exceeds");
            assertThat(h.nextSdkText()).isEqualTo(PING);
        }
    }

    @Test
    void invalidUtf8GetsParseError() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            byte[] line = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"p\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
            line[line.length - 4] = (byte) 0xFF; // second byte of the é, whose sequence starts at byte 36
            h.sendRaw(line);
            h.send(PING);

            assertError(h.nextReply(), "null", -32700, "Parse error: invalid UTF-8 at byte 36");
            assertThat(h.nextSdkText()).isEqualTo(PING);
        }
    }

    @Test
    void crlfLinesArriveWithoutTheCr() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.sendRaw((PING + "\r\n" + "{}\r\n" + PING + "\r\n").getBytes(StandardCharsets.UTF_8));
            h.endInput();

            assertThat(h.nextSdkText()).isEqualTo(PING);
            assertThat(h.nextSdkText()).isEqualTo(PING);
            h.assertSdkSeesEnd();
            assertError(h.nextReply(), "null", -32600, "Invalid Request: jsonrpc must be \"2.0\"");
        }
    }

    @Test
    void lastLineWithoutNewlineIsStillHandled() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.sendRaw(PING.getBytes(StandardCharsets.UTF_8));
            h.endInput();

            assertThat(h.nextSdkText()).isEqualTo(PING);
            h.assertSdkSeesEnd();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "garbage",
                "{\"jsonrpc\":\"2.0\",\"method\":\"x\"",
                "{}",
                "[]",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]",
                "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"x\",\"message\":\"m\"}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"x\"} trailing",
                "\u0000",
                "12",
                "null",
            })
    void validRequestAfterABadLineIsDeliveredUnchanged(String bad) throws Exception {
        String valid = "{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"method\":\"tools/call\",\"params\":{\"name\":\"t\"}}";
        try (GuardHarness h = new GuardHarness()) {
            h.send(bad);
            h.send(valid);
            h.endInput();

            JsonNode reply = h.nextReply();
            assertThat(reply.get("error").get("code").asInt()).isIn(-32700, -32600);
            assertThat(h.nextSdkLine()).isEqualTo(valid.getBytes(StandardCharsets.UTF_8));
            h.assertSdkSeesEnd();
            assertThat(h.stdout.pending()).isEmpty();
        }
    }

    @Test
    void onEofRunsOnceBeforeTheSdkSeesEndOfInput() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch sdkSawEnd = new CountDownLatch(1);
        Runnable onEof = () -> {
            events.add("onEof started");
            try {
                // Were the SDK side told first, it would get there while onEof is still running.
                boolean early = sdkSawEnd.await(200, TimeUnit.MILLISECONDS);
                events.add(early ? "SDK saw end of input during onEof" : "onEof finished");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (GuardHarness h = new GuardHarness(JsonRpcInputGuard.DEFAULT_MAX_LINE_BYTES, onEof)) {
            CompletableFuture<Integer> sdkSide = CompletableFuture.supplyAsync(() -> {
                try {
                    int bytes = h.guard.sdkInput().readAllBytes().length;
                    events.add("SDK saw end of input");
                    sdkSawEnd.countDown();
                    return bytes;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            h.send(PING);
            h.endInput();

            assertThat(sdkSide.get(10, TimeUnit.SECONDS)).isEqualTo(PING.length() + 1);
            assertThat(h.guard.awaitSdkEndOfInput(Duration.ofSeconds(10))).isTrue();
            h.guard.close();
            assertThat(events).containsExactly("onEof started", "onEof finished", "SDK saw end of input");
            assertThat(h.eofCalls).hasValue(1);
        }
    }

    @Test
    void readFailureCountsAsEndOfInput() throws Exception {
        AtomicInteger eofCalls = new AtomicInteger();
        InputStream failing = new InputStream() {
            private boolean sent;

            @Override
            public int read() throws IOException {
                throw new IOException("broken stdin");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sent) {
                    throw new IOException("broken stdin");
                }
                sent = true;
                byte[] line = (PING + "\n").getBytes(StandardCharsets.UTF_8);
                System.arraycopy(line, 0, b, off, line.length);
                return line.length;
            }
        };
        RecordingOutputStream stdout = new RecordingOutputStream();
        try (JsonRpcInputGuard guard =
                new JsonRpcInputGuard(failing, new LineWriter(stdout), eofCalls::incrementAndGet)) {
            guard.start();

            byte[] all = guard.sdkInput().readAllBytes();

            assertThat(new String(all, StandardCharsets.UTF_8)).isEqualTo(PING + "\n");
            assertThat(eofCalls).hasValue(1);
            assertThat(stdout.chunks()).isEmpty();
        }
    }

    @Test
    void failingOnEofStillEndsTheSdkInput() throws Exception {
        try (GuardHarness h = new GuardHarness(1024, () -> {
            throw new IllegalStateException("cleanup failed");
        })) {
            h.endInput();

            assertThat(h.guard.sdkInput().read()).isEqualTo(-1);
            assertThat(h.eofCalls).hasValue(1);
        }
    }

    @Test
    void closeEndsTheSdkInputWithoutRunningOnEof() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            h.send(PING);
            assertThat(h.nextSdkText()).isEqualTo(PING);

            h.guard.close();

            assertThat(h.guard.sdkInput().read()).isEqualTo(-1);
            assertThat(h.guard.awaitSdkEndOfInput(Duration.ofSeconds(10))).isTrue();
            h.endInput();
            assertThat(h.eofCalls).hasValue(0);
        }
    }

    @Test
    void startTwiceIsRefused() throws Exception {
        try (GuardHarness h = new GuardHarness()) {
            assertThatThrownBy(h.guard::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void limitMustFitTheSdkTransport() {
        LineWriter writer = new LineWriter(new ByteArrayOutputStream());
        InputStream empty = InputStream.nullInputStream();

        assertThatThrownBy(() -> new JsonRpcInputGuard(empty, writer, () -> {}, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        new JsonRpcInputGuard(empty, writer, () -> {}, JsonRpcInputGuard.MAX_LINE_BYTES_CEILING + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertError(JsonNode reply, String id, int code, String messageStart) {
        assertThat(reply.get("jsonrpc").stringValue()).isEqualTo("2.0");
        assertThat(reply.get("id").toString()).isEqualTo(id);
        assertThat(reply.get("error").get("code").asInt()).isEqualTo(code);
        assertThat(reply.get("error").get("message").stringValue()).startsWith(messageStart);
        assertThat(reply.has("result")).isFalse();
    }
}
