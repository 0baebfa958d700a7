package dev.coord.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LineQueueInputStreamTest {

    @Test
    void readsQueuedLinesInOrderThenEnd() throws Exception {
        LineQueueInputStream in = new LineQueueInputStream(1024);
        in.put(bytes("a\n"));
        in.put(bytes("bc\n"));
        in.end();

        assertThat(in.awaitReaderSawEnd(Duration.ZERO)).isFalse();
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a\nbc\n");
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.awaitReaderSawEnd(Duration.ZERO)).isTrue();
    }

    @Test
    void availableCountsOnlyTheLineBeingRead() throws Exception {
        LineQueueInputStream in = new LineQueueInputStream(1024);
        in.put(bytes("abc\n"));
        in.put(bytes("de\n"));

        assertThat(in.available()).isZero();
        assertThat(in.read()).isEqualTo('a');
        assertThat(in.available()).isEqualTo(3);
    }

    @Test
    void producerWaitsWhileTheQueueIsFull() throws Exception {
        LineQueueInputStream in = new LineQueueInputStream(10);
        in.put(bytes("1234567\n"));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try {
                in.put(bytes("abcdefg\n"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(in.read(new byte[8], 0, 8)).isEqualTo(8);
        second.get(10, TimeUnit.SECONDS);
        in.end();
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcdefg\n");
    }

    @Test
    void oneLineLargerThanTheQueueStillFits() throws Exception {
        LineQueueInputStream in = new LineQueueInputStream(4);
        in.put(bytes("longer than four\n"));
        in.end();

        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("longer than four\n");
    }

    @Test
    void blockedReadCanBeInterrupted() throws Exception {
        LineQueueInputStream in = new LineQueueInputStream(1024);
        Thread.currentThread().interrupt();

        assertThatThrownBy(in::read).isInstanceOf(InterruptedIOException.class);
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void closeDropsQueuedLinesAndLaterPutsDoNotBlock() throws Exception {
        LineQueueInputStream in = new LineQueueInputStream(8);
        in.put(bytes("1234567\n"));

        in.close();
        in.put(bytes("abcdefg\n"));

        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.awaitReaderSawEnd(Duration.ZERO)).isTrue();
    }

    @Test
    void linesAfterEndAreIgnored() throws Exception {
        LineQueueInputStream in = new LineQueueInputStream(1024);
        in.end();
        in.put(bytes("late\n"));

        assertThat(in.read()).isEqualTo(-1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
