package dev.coord.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileStreamTest {
    @TempDir
    Path dir;

    @Test
    void appendsToWhatIsThereInsteadOfTruncating() throws Exception {
        Path log = dir.resolve("coord.log");
        Files.writeString(log, "from an earlier session\n");

        try (PrintStream out = new PrintStream(new LogFileStream(log), true, StandardCharsets.UTF_8)) {
            out.println("second session started");
        }

        assertThat(Files.readAllLines(log)).containsExactly("from an earlier session", "second session started");
    }

    @Test
    void twoWritersSharingTheFileNeverCutIntoEachOthersLines() throws Exception {
        Path log = dir.resolve("coord.log");
        try (LogFileStream a = new LogFileStream(log);
                LogFileStream b = new LogFileStream(log)) {
            // PrintStream.println writes the text and the line end separately: a line arrives in pieces
            a.write("A starts ".getBytes(StandardCharsets.UTF_8));
            b.write("B starts ".getBytes(StandardCharsets.UTF_8));
            a.write("its line".getBytes(StandardCharsets.UTF_8));
            b.write("its line\nB has a second".getBytes(StandardCharsets.UTF_8));
            a.write('\n');
            b.write(" line\n".getBytes(StandardCharsets.UTF_8));
            a.write("A leaves a partial line".getBytes(StandardCharsets.UTF_8));
            assertThat(Files.readAllLines(log))
                    .containsExactly("B starts its line", "A starts its line", "B has a second line");
        }
        assertThat(Files.readAllLines(log)).last().isEqualTo("A leaves a partial line");
    }
}
