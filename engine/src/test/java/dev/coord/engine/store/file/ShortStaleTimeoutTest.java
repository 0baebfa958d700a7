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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short timings, as tests and fast-failover setups use them: heartbeat every 200 ms, stale after 1 s. */
class ShortStaleTimeoutTest {
    private static final Duration STALE = Duration.ofSeconds(1);
    private static final Duration BEAT = Duration.ofMillis(200);
    private static final List<LockRequest> F = List.of(new LockRequest("f", LockMode.EXCLUSIVE, null));

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");

    @Test
    void aProcessThatBeatsOnScheduleIsNeverReaped() {
        LivenessJudge judge =
                new LivenessJudge(STALE, new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), new FakeProbe());
        try (FileStore store = FileStore.open(dir, clock, judge, FileStoreOptions.defaults())) {
            Instance a = Instances.instance("claude-a", 101, clock.instant());
            Instance b = Instances.instance("claude-b", 102, clock.instant());
            store.register(a);
            assertThat(store.acquire(a, F, Duration.ofMinutes(1), null, null).acquired())
                    .isTrue();
            clock.advance(Duration.ofMillis(150));
            store.register(b);
            // a beats every 200 ms, just short of whole seconds after its last write; b works in between
            clock.advance(Duration.ofMillis(40));
            for (int i = 0; i < 30; i++) {
                store.heartbeat(a);
                clock.advance(BEAT.dividedBy(2));
                assertThat(store.acquire(b, F, Duration.ofMinutes(1), null, null)
                                .acquired())
                        .as(
                                "b got a's lock %d ms after a's last beat (beats every %d ms, stale after %d ms)",
                                BEAT.dividedBy(2).toMillis(), BEAT.toMillis(), STALE.toMillis())
                        .isFalse();
                clock.advance(BEAT.dividedBy(2));
            }
            assertThat(store.touch(a).notices()).isEmpty();
        }
    }
}
