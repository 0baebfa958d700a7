package dev.coord.engine.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the whole host slept, or a stopped process held the store's mutex, every session was silent, none by its own
 * fault. The first caller spares the others; its next calls must not reap them before they had their turn at the
 * mutex (found by the chaos suite: a session waiting for the mutex was declared dead 12 s after a stall, by the
 * second call of a session that had got the mutex first).
 */
class HostSleepTest {
    private static final Duration STALE = Duration.ofSeconds(4);
    private static final List<LockRequest> F = List.of(new LockRequest("f", LockMode.EXCLUSIVE, null));

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
    private final FakeProbe probe = new FakeProbe();
    private FileStore store;
    private Instance a;
    private Instance b;

    @BeforeEach
    void open() {
        LivenessJudge judge =
                new LivenessJudge(STALE, new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe);
        store = FileStore.open(dir, clock, judge, FileStoreOptions.defaults());
        a = Instances.instance("claude-a", 101, clock.instant());
        b = Instances.instance("claude-b", 102, clock.instant());
        store.register(a);
        store.register(b);
        assertThat(store.acquire(b, F, Duration.ofMinutes(30), null, null).acquired())
                .isTrue();
        clock.advance(Duration.ofSeconds(12)); // nobody could write for 12 s
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aLiveSessionThatHasNotHadItsTurnYetKeepsItsLocks() {
        store.heartbeat(a);
        clock.advance(Duration.ofMillis(20));
        assertThat(store.acquire(a, F, Duration.ofMinutes(30), null, null).acquired())
                .as("b is alive and only waits for its turn at the mutex")
                .isFalse();
        clock.advance(Duration.ofSeconds(1));
        store.heartbeat(b);
        assertThat(store.touch(b).notices()).as("b was never declared dead").isEmpty();
    }

    @Test
    void aLiveSessionThatStillDoesNotBeatIsReapedOneStaleTimeoutLater() {
        store.heartbeat(a);
        clock.advance(STALE.minusMillis(1));
        store.heartbeat(a);
        assertThat(store.acquire(a, F, Duration.ofMinutes(30), null, null).acquired())
                .isFalse();
        clock.advance(Duration.ofMillis(2));
        assertThat(store.acquire(a, F, Duration.ofMinutes(30), null, null).acquired())
                .as("b had a whole stale timeout to beat after the stall")
                .isTrue();
    }

    @Test
    void aSessionWhoseProcessExitedIsReapedAtOnce() {
        probe.kill(102);
        assertThat(store.acquire(a, F, Duration.ofMinutes(30), null, null).acquired())
                .isTrue();
    }
}
