package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A person who runs {@code java -jar coord.jar} in a terminal is told what it is, instead of a silent wait. */
class FirstRunIT {
    @TempDir
    Path repo;

    @Test
    void theServerStartedFromATerminalSaysWhatItIsOnStderr() throws Exception {
        Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            String why = "util-linux script (a pseudo-terminal) is not installed";
            if ("true".equals(System.getenv("COORD_REQUIRE_CLIENTS"))) {
                fail(why);
            }
            System.err.println("\n*** SKIPPED FirstRunIT: " + why + " ***\n");
            Assumptions.abort(why);
        }
        String cmd = CoordProcess.java() + " -jar " + CoordProcess.jar();
        Path out = repo.resolveSibling(repo.getFileName() + "-tty.txt");
        // script gives the server a terminal; its own stdin is empty, so the terminal ends at once (Ctrl-D)
        Process p = new ProcessBuilder(script.toString(), "-qec", cmd, "/dev/null")
                .directory(repo.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String seen = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(seen)
                .contains("coord: this is the MCP server of " + repo.toRealPath())
                .contains("waits for a client")
                .contains("java -jar coord.jar init")
                .contains("Ctrl-D ends it");

        // without a terminal (a real client), nothing of it: stdout stays JSON-RPC only and stderr quiet of it
        Process piped = new ProcessBuilder(
                        CoordProcess.java(), "-jar", CoordProcess.jar().toString())
                .directory(repo.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .start();
        String quiet = new String(piped.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(piped.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(quiet).doesNotContain("this is the MCP server");
    }
}
