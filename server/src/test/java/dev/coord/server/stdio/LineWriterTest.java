package dev.coord.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LineWriterTest {

    private final RecordingOutputStream stdout = new RecordingOutputStream();
    private final LineWriter writer = new LineWriter(stdout);

    @Test
    void streamHoldsBackAPartialLineUntilItsNewline() throws Exception {
        OutputStream stream = writer.newStream();

        stream.write(bytes("{\"a\":"));
        stream.flush();
        stream.write(bytes("1}"));
        stream.flush();
        assertThat(stdout.chunks()).isEmpty();

        stream.write(bytes("\n"));
        assertThat(stdout.nextLine()).isEqualTo("{\"a\":1}");
        assertThat(stdout.flushes()).isEqualTo(1);
    }

    @Test
    void streamSplitsSeveralLinesFromOneWriteAndKeepsTheRest() throws Exception {
        OutputStream stream = writer.newStream();

        stream.write(bytes("one\ntwo\nthr"));
        assertThat(stdout.nextLine()).isEqualTo("one");
        assertThat(stdout.nextLine()).isEqualTo("two");
        assertThat(stdout.pending()).isEmpty();

        stream.write('e');
        stream.write('e');
        stream.write('\n');
        assertThat(stdout.nextLine()).isEqualTo("three");
    }

    @Test
    void writesTheSdkWayAsOneLine() throws Exception {
        // The SDK writes the JSON, then "\n", then flushes, all under a lock on its own stream.
        OutputStream sdk = writer.newStream();
        String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";

        synchronized (sdk) {
            sdk.write(json.getBytes(StandardCharsets.UTF_8));
            sdk.write("\n".getBytes(StandardCharsets.UTF_8));
            sdk.flush();
        }

        assertThat(stdout.nextLine()).isEqualTo(json);
        assertThat(stdout.chunks()).hasSize(1);
    }

    @Test
    void largeLinePassesWhole() throws Exception {
        OutputStream stream = writer.newStream();
        String big = "x".repeat(3 * 1024 * 1024);

        stream.write(bytes(big));
        stream.write(bytes("\nnext\n"));

        assertThat(stdout.nextLine()).isEqualTo(big);
        assertThat(stdout.nextLine()).isEqualTo("next");
    }

    @Test
    void writeLineAppendsTheNewline() throws Exception {
        writer.writeLine(bytes("{\"id\":null}"));

        assertThat(stdout.nextLine()).isEqualTo("{\"id\":null}");
        assertThat(stdout.flushes()).isEqualTo(1);
    }

    @Test
    void writeLineRefusesAnEmbeddedNewline() {
        assertThatThrownBy(() -> writer.writeLine(bytes("a\nb"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(stdout.chunks()).isEmpty();
    }

    @Test
    void closeDropsAnUnterminatedLineAndRefusesFurtherWrites() throws Exception {
        OutputStream stream = writer.newStream();
        stream.write(bytes("half"));

        stream.close();

        assertThat(stdout.chunks()).isEmpty();
        assertThatThrownBy(() -> stream.write(bytes("x\n"))).isInstanceOf(IOException.class);
    }

    @Test
    void concurrentProducersNeverInterleaveLines() throws Exception {
        int threads = 8;
        int linesPerThread = 500;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int producer = t;
                done.add(pool.submit(() -> {
                    start.await();
                    produce(producer, linesPerThread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < threads * linesPerThread; i++) {
            String line = stdout.nextLine();
            assertThat(line).matches("\\{\"producer\":\\d,\"n\":\\d+,\"pad\":\"(\\d)\\1*\"}");
            assertThat(seen.add(line)).as("each line once: %s", line).isTrue();
        }
        assertThat(stdout.pending()).isEmpty();
    }

    /** Even producers write through their own stream in random fragments, odd ones use writeLine. */
    private void produce(int producer, int lines) throws IOException {
        Random random = new Random(producer);
        OutputStream stream = writer.newStream();
        for (int n = 0; n < lines; n++) {
            String pad = String.valueOf(producer).repeat(1 + random.nextInt(300));
            byte[] line = bytes("{\"producer\":" + producer + ",\"n\":" + n + ",\"pad\":\"" + pad + "\"}");
            if (producer % 2 == 1) {
                writer.writeLine(line);
                continue;
            }
            int offset = 0;
            while (offset < line.length) {
                int count = Math.min(line.length - offset, 1 + random.nextInt(16));
                stream.write(line, offset, count);
                stream.flush();
                offset += count;
            }
            stream.write('\n');
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
