package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.server.it.chaos.ChaosSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite through the real {@code coord.jar}: 2, 4 and 8 server processes on one repository and its three
 * linked worktrees (which editors change and commit meanwhile, with the overlap radar running every second), driven
 * over stdio, killed with SIGKILL and stopped with SIGSTOP for longer than the lease, then crash-during-write trials,
 * the radar's convergence, a fresh start and the checks of {@link ChaosSuite}. By default a short run (24 s of
 * chaos, 60 to 110 s in all);
 * {@code -Dchaos.seconds=N} makes the chaos phases last about N seconds in all. The figures go to
 * {@code target/chaos/chaos-report.md} ({@code -Dchaos.out} changes the folder).
 */
class ChaosIT {
    @Test
    void safeUnderKillsAndPauses() throws Exception {
        long seconds = Long.getLong("chaos.seconds", 24);
        Path out = Path.of(System.getProperty("chaos.out", "target/chaos")).toAbsolutePath();
        ChaosSuite.Result r = ChaosSuite.run(CoordProcess.jar(), out, seconds);
        assertThat(r.failures()).as("chaos findings, see %s", r.report()).isEmpty();
        assertThat(r.grants()).as("critical sections run").isGreaterThan(20);
        assertThat(r.editClaims()).as("edit claims taken through the hook").isGreaterThan(0);
        assertThat(r.kills()).as("kills injected").isGreaterThan(0);
        assertThat(r.pauses()).as("pauses injected").isGreaterThan(0);
    }
}
