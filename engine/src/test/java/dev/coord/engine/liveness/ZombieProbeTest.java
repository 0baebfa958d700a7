package dev.coord.engine.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ZombieProbeTest {

    @Test
    void parsesTheStateAfterACommandNameWithParentheses() {
        assertThat(ProcState.parse("42 (a) b (c)) Z 1 42 42 0 -1")).contains('Z');
        assertThat(ProcState.parse("7 (java) S 1 7")).contains('S');
        assertThat(ProcState.parse("garbage")).isEmpty();
    }

    @Test
    void aKilledChildItsParentHasNotReapedIsDead() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        // the shell starts a child and then becomes `sleep`, which never waits for it: once killed, it stays a zombie
        Process parent = new ProcessBuilder("sh", "-c", "sleep 600 & echo $!; exec sleep 600")
                .redirectErrorStream(true)
                .start();
        try {
            long child;
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                child = Long.parseLong(r.readLine().trim());
            }
            ProcessHandle handle = ProcessHandle.of(child).orElseThrow();
            Instant start = handle.info().startInstant().orElseThrow();
            ProcessProbe probe = ProcessProbe.system();
            assertThat(probe.alive(child, start)).as("running child").isTrue();

            new ProcessBuilder("kill", "-KILL", Long.toString(child)).start().waitFor(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ProcState.of(child).orElse('?') != 'Z' && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(ProcState.of(child)).as("the killed child is a zombie").contains('Z');
            assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive))
                    .as("the JDK's view of a zombie, the trap this probe avoids")
                    .contains(true);
            assertThat(probe.alive(child, start)).as("a zombie is dead").isFalse();
            assertThat(probe.alive(parent.pid(), null))
                    .as("its parent still runs")
                    .isTrue();
        } finally {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
