package dev.coord.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File errors keep their cause: the JDK's messages are often the bare path. */
class IoProblemsTest {
    @TempDir
    Path tmp;

    @Test
    void permissionAndReadOnlyAreNamed() {
        // as root, neither can be provoked on this machine: the exceptions are the JDK's own for EACCES and EROFS
        assertThat(new AccessDeniedException("/srv/state").getMessage()).isEqualTo("/srv/state");
        assertThat(IoProblems.describe(new AccessDeniedException("/srv/state")))
                .isEqualTo("/srv/state: permission denied");
        assertThat(IoProblems.describe(new FileSystemException("/srv/state", null, "Read-only file system")))
                .isEqualTo("/srv/state: read-only file system");
        assertThat(IoProblems.describe(new AccessDeniedException("/srv/state"), Path.of("/srv/state")))
                .isEqualTo("permission denied");
    }

    @Test
    void realFailuresSayWhy() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        IOException below = thrownBy(() -> Files.createDirectories(file.resolve("state")));
        assertThat(IoProblems.describe(below)).isEqualTo(file.resolve("state") + ": not a directory");
        IOException onFile = thrownBy(() -> Files.createDirectories(file));
        assertThat(IoProblems.describe(onFile))
                .isEqualTo(file + ": a file of that name exists where a directory is needed");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            IOException proc = thrownBy(() -> Files.createDirectories(Path.of("/proc/coordstate")));
            assertThat(IoProblems.describe(proc)).isEqualTo("/proc/coordstate: no such file or directory");
        }
    }

    @Test
    void aFileInTheWayOfADirectoryIsFound() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertThat(IoProblems.blockedDirectory(file.resolve("a/b")))
                .isEqualTo("not a directory: " + file + " is a regular file");
        assertThat(IoProblems.blockedDirectory(file)).isEqualTo(file + " is a regular file, not a directory");
        assertThat(IoProblems.blockedDirectory(tmp.resolve("not/yet/there"))).isNull();
        assertThat(IoProblems.blockedDirectory(tmp)).isNull();
    }

    private interface Io {
        void run() throws IOException;
    }

    private static IOException thrownBy(Io io) {
        try {
            io.run();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("expected an IOException");
    }
}
