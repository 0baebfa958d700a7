package dev.coord.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.store.CoordStore;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTest {
    /** A heartbeat interval the scheduler never reaches during a test: beats are called directly. */
    private static final EngineSettings SETTINGS = new EngineSettings(
            Duration.ofMinutes(30),
            Duration.ofHours(24),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofMinutes(5));

    private static final Duration STALE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
    private final FakeProbe probe = new FakeProbe();
    private FileStore store;
    private final AtomicReference<String> branch = new AtomicReference<>("main");
    private Session session;
    private Instance peer;

    @BeforeEach
    void setUp() {
        LivenessJudge judge =
                new LivenessJudge(STALE, new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe);
        store = FileStore.open(dir, clock, judge, FileStoreOptions.defaults());
        session = new Session(store, SETTINGS, Instances.instance("claude-me", 101, clock.instant()), branch::get);
        peer = Instances.instance("claude-peer", 102, clock.instant());
        store.register(peer);
    }

    @AfterEach
    void tearDown() {
        session.close();
        store.close();
    }

    private Optional<Instance> registered(String id) {
        return store.read().instances().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    private boolean acquire(Instance who, String path) {
        return store.acquire(
                        who,
                        List.of(new LockRequest(path, LockMode.EXCLUSIVE, null)),
                        SETTINGS.defaultTtl(),
                        null,
                        null)
                .acquired();
    }

    @Test
    void startRegisters() {
        session.start();

        assertThat(registered("claude-me")).isPresent();
    }

    @Test
    void beatRefreshesTheHeartbeatAndTheBranch() {
        session.start();
        clock.advance(Duration.ofSeconds(20));
        branch.set("feature/x");

        session.beat();

        Instance me = registered("claude-me").orElseThrow();
        assertThat(me.lastHeartbeat()).isEqualTo(clock.instant());
        assertThat(me.branch()).isEqualTo("feature/x");
        assertThat(session.self().branch()).isEqualTo("feature/x");
        // beats keep it alive past the stale timeout
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(20));
            session.beat();
            store.heartbeat(peer);
        }
        assertThat(registered("claude-me")).isPresent();
    }

    @Test
    void beatReRegistersAfterBeingDeclaredDeadAndTheNextTouchTellsWhy() {
        session.start();
        assertThat(acquire(session.self(), "src/A.java")).isTrue();
        // the peer keeps beating (a peer silent as long would think the host was asleep and spare everyone)
        clock.advance(Duration.ofSeconds(20));
        store.heartbeat(peer);
        clock.advance(STALE.minusSeconds(19));
        store.heartbeat(peer);
        assertThat(registered("claude-me")).as("declared dead").isEmpty();
        assertThat(acquire(peer, "src/A.java")).as("its lock is void").isTrue();

        session.beat();

        assertThat(registered("claude-me")).as("registered again by the beat").isPresent();
        Snapshot next = store.touch(session.self());
        assertThat(next.notices()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Notice.Kind.DECLARED_DEAD);
            assertThat(n.path()).isEqualTo("src/A.java");
            assertThat(n.reason()).startsWith("no heartbeat for");
        });
        assertThat(store.touch(session.self()).notices()).isEmpty();
    }

    @Test
    void registerSetsTaskRoleAndBranch() {
        session.start();

        Snapshot snap = session.register("write the parser", "backend", null);

        assertThat(snap.instances())
                .filteredOn(i -> i.id().equals("claude-me"))
                .singleElement()
                .satisfies(i -> {
                    assertThat(i.task()).isEqualTo("write the parser");
                    assertThat(i.role()).isEqualTo("backend");
                    assertThat(i.branch()).isEqualTo("main");
                });
        session.register("review", null, "release/1.0");
        Instance me = registered("claude-me").orElseThrow();
        assertThat(me.role()).as("kept when not given").isEqualTo("backend");
        assertThat(me.branch()).isEqualTo("release/1.0");
    }

    @Test
    void aDeclaredBranchSurvivesHeartbeatsUntilACallDeclaresNone() {
        session.start();
        session.register("release prep", null, "release/1.0");

        branch.set("main-moved");
        session.beat();

        assertThat(registered("claude-me").orElseThrow().branch())
                .as("the heartbeat keeps the branch the agent declared")
                .isEqualTo("release/1.0");
        session.register("back to normal", null, null);
        assertThat(registered("claude-me").orElseThrow().branch()).isEqualTo("main-moved");
        branch.set("feature/y");
        session.beat();
        assertThat(registered("claude-me").orElseThrow().branch())
                .as("without a declared branch the heartbeat follows git")
                .isEqualTo("feature/y");
    }

    @Test
    void registeringAgainReplacesTheTaskOfTheOneInstance() {
        session.start();
        session.register("parent task", "lead", null);

        // a subagent of the same Claude Code session calls register_instance through the same server process
        Snapshot snap = session.register("subagent task", null, null);

        assertThat(snap.instances())
                .filteredOn(i -> i.id().equals("claude-me"))
                .singleElement()
                .satisfies(i -> {
                    assertThat(i.task()).isEqualTo("subagent task");
                    assertThat(i.role()).isEqualTo("lead");
                });
        assertThat(snap.instances()).hasSize(2);
    }

    @Test
    void closeReleasesLocksAndUnregistersOnce() {
        session.start();
        assertThat(acquire(session.self(), "src/A.java")).isTrue();
        assertThat(acquire(session.self(), "docs/")).isTrue();

        session.close();

        assertThat(session.isClosed()).isTrue();
        assertThat(store.read().locks()).isEmpty();
        assertThat(registered("claude-me")).isEmpty();
        assertThat(acquire(peer, "src/A.java")).isTrue();
        // idempotent, and a beat after close does not bring it back
        session.close();
        session.close("again");
        session.beat();
        assertThat(registered("claude-me")).isEmpty();
        assertThat(store.read().locks()).extracting(l -> l.holder()).containsExactly("claude-peer");
    }

    @Test
    void closeUnregistersOnlyOnceAndSurvivesAStoreFailure() {
        CoordStore failing = mock(CoordStore.class);
        when(failing.describe()).thenReturn("mock");
        doThrow(new CoordException(ErrorCode.STORE_UNAVAILABLE, "disk gone"))
                .when(failing)
                .unregister(any(), any());
        Session s = new Session(failing, SETTINGS, Instances.instance("claude-x", 7, clock.instant()), () -> "main");

        s.close("bye");
        s.close("bye");
        s.close();

        verify(failing, times(1)).unregister("claude-x", "bye");
        s.beat();
        verify(failing, never()).heartbeat(any());
    }

    @Test
    void aBeatThatFailsIsLoggedNotThrown() {
        CoordStore failing = mock(CoordStore.class);
        when(failing.describe()).thenReturn("mock");
        doThrow(new CoordException(ErrorCode.STORE_UNAVAILABLE, "disk gone"))
                .when(failing)
                .heartbeat(any());
        Session s = new Session(failing, SETTINGS, Instances.instance("claude-x", 7, clock.instant()), () -> "main");

        s.beat();

        verify(failing).heartbeat(any());
    }

    @Test
    void closeWaitsForABeatInFlightSoThatTheBeatCannotRegisterAgainAfterIt() throws Exception {
        CoordStore slow = mock(CoordStore.class);
        when(slow.describe()).thenReturn("mock");
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch inHeartbeat = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        doAnswer(inv -> {
                    events.add("heartbeat begins");
                    inHeartbeat.countDown();
                    assertThat(proceed.await(10, TimeUnit.SECONDS)).isTrue();
                    events.add("heartbeat ends");
                    return null;
                })
                .when(slow)
                .heartbeat(any());
        doAnswer(inv -> events.add("unregister")).when(slow).unregister(any(), any());
        Session s = new Session(slow, SETTINGS, Instances.instance("claude-x", 7, clock.instant()), () -> "main");

        Thread beater = new Thread(s::beat, "beater");
        beater.start();
        assertThat(inHeartbeat.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(s::close, "closer");
        closer.start();
        awaitBlockedOrDone(closer);
        proceed.countDown();
        beater.join(10_000);
        closer.join(10_000);

        // a heartbeat that lands after unregister registers the closed session again (with no one to remove it)
        assertThat(events).containsExactly("heartbeat begins", "heartbeat ends", "unregister");
    }

    /** Spins (without sleeping) until the thread is blocked or waiting, or has finished. */
    private static void awaitBlockedOrDone(Thread t) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.isAlive()) {
            Thread.State state = t.getState();
            if (state == Thread.State.BLOCKED || state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return;
            }
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("thread " + t.getName() + " neither blocked nor finished: " + state);
            }
            Thread.onSpinWait();
        }
    }
}
