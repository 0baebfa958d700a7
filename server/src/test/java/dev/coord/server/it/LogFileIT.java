package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code COORD_LOG_FILE} shared by several processes keeps every process's lines. */
class LogFileIT {
    @TempDir
    Path tmp;

    @Test
    void processesAppendToOneLogFileInsteadOfWipingIt() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path log = tmp.resolve("coord.log");
        for (String title : List.of("first", "second")) {
            ProcessBuilder pb = new ProcessBuilder(
                            CoordProcess.java(),
                            "-jar",
                            CoordProcess.jar().toString(),
                            "decisions",
                            "add",
                            "--category",
                            "c",
                            "--title",
                            title,
                            "--description",
                            "d")
                    .directory(repo.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(tmp.resolve("stderr-" + title + ".txt").toFile());
            pb.environment().put("COORD_LOG_FILE", log.toString());
            pb.environment().put("COORD_LOG_LEVEL", "info");
            Process p = pb.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(tmp.resolve("stderr-" + title + ".txt"))
                    .as("logs go to the file")
                    .isEmptyFile();
        }

        assertThat(Files.readAllLines(log))
                .filteredOn(l -> l.contains("closing session"))
                .as("one line from each process")
                .hasSize(2);
    }
}
