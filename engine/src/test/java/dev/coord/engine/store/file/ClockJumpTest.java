package dev.coord.engine.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Notice;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall clock (the file store's judge) jumps by minutes while sessions hold leases: back, and no holder loses a
 * lease; forward, and it is as if that time had passed while the host slept (see docs/reliability.md).
 */
class ClockJumpTest {
    private static final Duration STALE = Duration.ofSeconds(30);
    private static final Duration TTL = Duration.ofMinutes(10);
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
        assertThat(store.acquire(a, F, TTL, null, null).acquired()).isTrue();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aBackwardJumpTakesNoLeaseAway() {
        long token = store.read().locks().get(0).token();
        clock.advance(Duration.ofMinutes(-7));
        // for longer than the lease and the stale timeout together, a keeps working and b keeps trying
        for (int minute = 0; minute < 25; minute++) {
            for (int beat = 0; beat < 12; beat++) {
                clock.advance(Duration.ofSeconds(5));
                store.heartbeat(a);
                store.heartbeat(b);
            }
            assertThat(store.touch(a).notices()).as("minute %d", minute).isEmpty();
            assertThat(store.acquire(b, F, TTL, null, null).acquired())
                    .as("minute %d", minute)
                    .isFalse();
        }
        assertThat(store.read().locks()).extracting(LockRecord::token).containsExactly(token);
        assertThat(store.release(a, List.of("f"), false, null, Map.of()).released())
                .singleElement()
                .satisfies(r -> assertThat(r.token()).isEqualTo(token));
    }

    @Test
    void afterABackwardJumpAStoppedSessionOfAnotherHostIsReapedOneStaleTimeoutLaterNotAJumpLater() {
        Instance remote = new Instance(
                "claude-remote",
                7,
                null,
                "other-host",
                "other-boot",
                "/w",
                null,
                null,
                null,
                null,
                null,
                null,
                clock.instant(),
                clock.instant());
        store.register(remote);
        clock.advance(Duration.ofMinutes(-7));
        store.heartbeat(remote); // its last beat, after the jump
        clock.advance(STALE.plusSeconds(2));
        store.heartbeat(a);
        assertThat(store.read().instances()).extracting(Instance::id).doesNotContain("claude-remote");
    }

    @Test
    void aForwardJumpShorterThanTheLeaseKeepsEveryLockAndSession() {
        clock.advance(Duration.ofMinutes(6));
        Instance c = Instances.instance("claude-c", 103, clock.instant());
        // a session starting first after the jump must not reap those that have not beaten since
        store.register(c);
        assertThat(store.read().instances())
                .extracting(Instance::id)
                .containsExactlyInAnyOrder("claude-a", "claude-b", "claude-c");
        assertThat(store.touch(a).notices()).isEmpty();
        assertThat(store.read().locks()).singleElement().satisfies(l -> assertThat(l.expiresAt())
                .isEqualTo(clock.instant().plus(TTL)));
        assertThat(store.acquire(c, F, TTL, null, null).acquired()).isFalse();
    }

    @Test
    void aForwardJumpPastTheLeaseEndsItAndTellsTheHolder() {
        clock.advance(TTL.plusMinutes(1));
        assertThat(store.acquire(b, F, TTL, null, null).acquired()).isTrue();
        assertThat(store.touch(a).notices()).singleElement().satisfies(n -> assertThat(n.kind())
                .isEqualTo(Notice.Kind.EXPIRED));
    }
}
