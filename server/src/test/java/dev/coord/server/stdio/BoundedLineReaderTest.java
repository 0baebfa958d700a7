package dev.coord.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.server.stdio.BoundedLineReader.Line;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BoundedLineReaderTest {

    @Test
    void splitsOnLfAndCrLfAndRemovesOnlyOneCr() throws IOException {
        assertThat(lines("a\nb\r\nc\r\r\n\n\r\n", 100)).containsExactly("a", "b", "c\r", "", "");
    }

    @Test
    void keepsALoneCrInsideALine() throws IOException {
        assertThat(lines("a\rb\n", 100)).containsExactly("a\rb");
    }

    @Test
    void returnsALastLineWithoutTerminator() throws IOException {
        assertThat(lines("a\nlast", 100)).containsExactly("a", "last");
    }

    @Test
    void emptyInputHasNoLines() throws IOException {
        assertThat(lines("", 100)).isEmpty();
    }

    @Test
    void lineOfExactlyTheLimitPassesWithEitherEnding() throws IOException {
        String ten = "0123456789";
        assertThat(lines(ten + "\n" + ten + "\r\n" + ten, 10)).containsExactly(ten, ten, ten);
    }

    @Test
    void lineOneByteOverTheLimitIsOversized() throws IOException {
        BoundedLineReader reader = reader("0123456789A\r\nok\n", 10);

        Line over = reader.next();
        assertThat(over.isOversized()).isTrue();
        assertThat(over.length()).isGreaterThanOrEqualTo(11);
        assertThat(text(reader.next())).isEqualTo("ok");
        assertThat(reader.next()).isNull();
    }

    @Test
    void oversizedLineIsSkippedWithoutBufferingIt() throws IOException {
        int limit = 1024;
        int huge = 5 * 1024 * 1024;
        byte[] input = new byte[huge + "\nafter\n".length()];
        Arrays.fill(input, 0, huge, (byte) 'x');
        System.arraycopy("\nafter\n".getBytes(StandardCharsets.US_ASCII), 0, input, huge, 7);
        BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(input), limit);

        Line over = reader.next();

        assertThat(over.isOversized()).isTrue();
        assertThat(over.length()).isEqualTo(huge);
        assertThat(reader.peakLineBufferBytes()).isLessThanOrEqualTo(limit + 1);
        assertThat(text(reader.next())).isEqualTo("after");
        assertThat(reader.next()).isNull();
    }

    @Test
    void oversizedLastLineWithoutTerminatorIsReported() throws IOException {
        BoundedLineReader reader = reader("ok\n" + "y".repeat(50), 10);

        assertThat(text(reader.next())).isEqualTo("ok");
        assertThat(reader.next().isOversized()).isTrue();
        assertThat(reader.next()).isNull();
    }

    @Test
    void lineSpanningManyReadsIsJoined() throws IOException {
        String line = "z".repeat(200_000);
        InputStream trickle = new InputStream() {
            private final byte[] data = (line + "\n").getBytes(StandardCharsets.US_ASCII);
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == data.length) {
                    return -1;
                }
                int n = Math.min(len, Math.min(7, data.length - pos));
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };

        BoundedLineReader reader = new BoundedLineReader(trickle, 300_000);

        assertThat(text(reader.next())).isEqualTo(line);
        assertThat(reader.next()).isNull();
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThatThrownBy(() -> reader("", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> lines(String input, int limit) throws IOException {
        BoundedLineReader reader = reader(input, limit);
        List<String> result = new ArrayList<>();
        for (Line line = reader.next(); line != null; line = reader.next()) {
            result.add(text(line));
        }
        return result;
    }

    private static BoundedLineReader reader(String input, int limit) {
        return new BoundedLineReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), limit);
    }

    private static String text(Line line) {
        assertThat(line).isNotNull();
        assertThat(line.isOversized()).as("oversized").isFalse();
        return new String(line.content(), StandardCharsets.UTF_8);
    }
}
