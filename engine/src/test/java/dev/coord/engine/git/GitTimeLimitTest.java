package dev.coord.engine.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each git command of the radar is killed when it takes longer than its time limit, even one that hangs with its
 * output open (the limit used to be checked only after the output had ended), and whatever it started goes with it.
 */
class GitTimeLimitTest {
    @TempDir
    Path dir;

    private Git fake(String script) throws IOException {
        Path exe = dir.resolve("git-fake");
        Files.writeString(exe, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
        return new Git(exe.toString(), Duration.ofSeconds(1));
    }

    @Test
    void aGitThatHangsWithItsOutputOpenIsKilledAtTheLimit() throws Exception {
        Path pidFile = dir.resolve("pid");
        // prints a little, records the pid of a child that holds the output open, and hangs
        Git git = fake("echo started; sleep 60 & echo $! > '" + pidFile + "'; wait");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> git.run(dir, "status"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("took longer than 1 s");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).as("ms until the call gave up").isLessThan(20_000);
        long child = Long.parseLong(Files.readString(pidFile).strip());
        long deadline = System.currentTimeMillis() + 5_000;
        while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
                .as("the hung git's child is gone")
                .isFalse();
    }

    @Test
    void aQuickGitIsRead() throws Exception {
        Git.Result r = fake("printf 'a\\0b\\0'; exit 3").run(dir, "x");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.zList()).containsExactly("a", "b");
        assertThat(r.cut()).isFalse();
    }
}
