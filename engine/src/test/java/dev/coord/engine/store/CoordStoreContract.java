package dev.coord.engine.store;

import static dev.coord.engine.testing.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.ErrorCode;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseOutcome;
import dev.coord.engine.model.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CoordStore} must have. A store module extends this class and says how to open a fresh
 * store, how to move its clock, and how to make a process die.
 */
public abstract class CoordStoreContract {
    protected static final Duration TTL = Duration.ofMinutes(30);
    /** Stores under test must judge instances dead after this much silence. */
    protected static final Duration STALE = Duration.ofSeconds(30);

    protected CoordStore store;
    protected Instance a;
    protected Instance b;
    protected Instance c;

    /** A fresh, empty store whose instances go stale after {@link #STALE}. */
    protected abstract CoordStore openStore();

    /** A second store object on the same shared state (another process would open one). */
    protected abstract CoordStore reopen();

    /** Moves the store's clock forward. */
    protected abstract void advance(Duration d);

    /** Makes the process with this pid count as exited on this host. */
    protected abstract void killProcess(long pid);

    @BeforeEach
    void openFresh() {
        store = openStore();
        Instant now = store.now();
        a = instance("claude-a", 101, now);
        b = instance("claude-b", 102, now);
        c = instance("claude-c", 103, now);
        store.register(a);
        store.register(b);
        store.register(c);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static List<LockRequest> ex(String... paths) {
        List<LockRequest> out = new ArrayList<>();
        for (String p : paths) {
            out.add(new LockRequest(p, LockMode.EXCLUSIVE, null));
        }
        return out;
    }

    protected static List<LockRequest> sh(String... paths) {
        List<LockRequest> out = new ArrayList<>();
        for (String p : paths) {
            out.add(new LockRequest(p, LockMode.SHARED, null));
        }
        return out;
    }

    protected AcquireOutcome acquire(Instance who, List<LockRequest> req) {
        return store.acquire(who, req, TTL, "test", null);
    }

    protected ReleaseOutcome release(Instance who, String... paths) {
        return store.release(who, List.of(paths), false, null, Map.of());
    }

    @Test
    void registeredInstancesAreListed() {
        Set<String> ids = new TreeSet<>();
        store.read().instances().forEach(i -> ids.add(i.id()));
        assertThat(ids).containsExactly("claude-a", "claude-b", "claude-c");
    }

    @Test
    void exclusiveLockConflictsAndNamesTheHolder() {
        assertThat(acquire(a, ex("src/A.java")).acquired()).isTrue();
        AcquireOutcome second = acquire(b, ex("src/A.java"));
        assertThat(second.acquired()).isFalse();
        assertThat(second.grants()).isEmpty();
        assertThat(second.conflicts()).singleElement().satisfies(cf -> {
            assertThat(cf.path()).isEqualTo("src/A.java");
            assertThat(cf.heldBy().instanceId()).isEqualTo("claude-a");
            assertThat(cf.heldBy().task()).isEqualTo("task of claude-a");
            assertThat(cf.heldBy().role()).isEqualTo("role-claude-a");
            assertThat(cf.mode()).isEqualTo(LockMode.EXCLUSIVE);
        });
    }

    @Test
    void sharedLocksCoexistButExcludeExclusive() {
        assertThat(acquire(a, sh("docs/")).acquired()).isTrue();
        assertThat(acquire(b, sh("docs/")).acquired()).isTrue();
        AcquireOutcome excl = acquire(c, ex("docs/guide.md"));
        assertThat(excl.acquired()).isFalse();
        assertThat(excl.conflicts())
                .extracting(cf -> cf.heldBy().instanceId())
                .containsExactlyInAnyOrder("claude-a", "claude-b");
        assertThat(acquire(c, sh("docs/guide.md")).acquired()).isTrue();
    }

    @Test
    void directoryLockCoversItsSubtreeBothWays() {
        assertThat(acquire(a, ex("src/main/")).acquired()).isTrue();
        assertThat(acquire(b, ex("src/main/java/A.java")).acquired()).isFalse();
        assertThat(acquire(b, ex("src/")).acquired()).isFalse();
        assertThat(acquire(b, ex("./")).acquired()).isFalse();
        assertThat(acquire(b, ex("src/mainframe.txt")).acquired()).isTrue();
        assertThat(acquire(b, ex("src/test/")).acquired()).isTrue();
    }

    @Test
    void acquireIsAllOrNothing() {
        assertThat(acquire(a, ex("b.txt")).acquired()).isTrue();
        AcquireOutcome both = acquire(b, ex("a.txt", "b.txt"));
        assertThat(both.acquired()).isFalse();
        assertThat(both.conflicts()).extracting(cf -> cf.path()).containsExactly("b.txt");
        assertThat(store.read().locks()).extracting(l -> l.path()).containsExactly("b.txt");
        assertThat(acquire(c, ex("a.txt")).acquired()).isTrue();
    }

    @Test
    void tokensOnlyGrowAndRenewalKeepsTheToken() {
        long t1 = acquire(a, ex("x")).grants().get(0).token();
        Grant renewed = acquire(a, ex("x")).grants().get(0);
        assertThat(renewed.renewed()).isTrue();
        assertThat(renewed.token()).isEqualTo(t1);
        release(a, "x");
        long t2 = acquire(b, ex("x")).grants().get(0).token();
        assertThat(t2).isGreaterThan(t1);
        long t3 = acquire(c, ex("y")).grants().get(0).token();
        assertThat(t3).isGreaterThan(t2);
        // a mode change is a new grant
        long t4 = acquire(c, sh("y")).grants().get(0).token();
        assertThat(t4).isGreaterThan(t3);
        // tokens survive reopening the store
        store.close();
        store = reopen();
        long t5 = acquire(a, ex("z")).grants().get(0).token();
        assertThat(t5).isGreaterThan(t4);
    }

    @Test
    void leaseExpiresAndTheHolderIsToldItLostTheLock() {
        long token = acquire(a, ex("f")).grants().get(0).token();
        advance(TTL.plusSeconds(1));
        store.heartbeat(a);
        store.heartbeat(b);
        AcquireOutcome taken = acquire(b, ex("f"));
        assertThat(taken.acquired()).isTrue();
        assertThat(taken.grants().get(0).token()).isGreaterThan(token);
        ReleaseOutcome late = release(a, "f");
        assertThat(late.released()).isEmpty();
        assertThat(late.notHeld()).singleElement().satisfies(n -> {
            assertThat(n.code()).isEqualTo(ErrorCode.LOCK_LOST);
            assertThat(n.heldBy().instanceId()).isEqualTo("claude-b");
            assertThat(n.token()).isEqualTo(taken.grants().get(0).token());
        });
        assertThat(late.notices()).extracting(Notice::kind).contains(Notice.Kind.EXPIRED);
    }

    @Test
    void theHoldersOwnCallThatFindsTheLeaseExpiredTellsItAtOnce() {
        long token = acquire(a, ex("f")).grants().get(0).token();
        advance(TTL.plusSeconds(1));
        ReleaseOutcome late = release(a, "f");
        assertThat(late.released()).isEmpty();
        assertThat(late.notHeld()).singleElement().satisfies(n -> assertThat(n.code())
                .isEqualTo(ErrorCode.LOCK_LOST));
        assertThat(late.notices()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Notice.Kind.EXPIRED);
            assertThat(n.path()).isEqualTo("f");
            assertThat(n.token()).isEqualTo(token);
        });
        // told once only
        assertThat(store.touch(a).notices()).isEmpty();
    }

    @Test
    void anyCallByTheHolderRenewsItsLeases() {
        acquire(a, ex("f"));
        for (int i = 0; i < 4; i++) {
            advance(TTL.minusMinutes(5));
            store.heartbeat(b);
            store.touch(a);
        }
        assertThat(acquire(b, ex("f")).acquired()).isFalse();
    }

    @Test
    void heartbeatAloneDoesNotRenewLeases() {
        acquire(a, ex("f"));
        for (int i = 0; i < 4; i++) {
            advance(Duration.ofMinutes(10));
            store.heartbeat(a);
            store.heartbeat(b);
        }
        assertThat(acquire(b, ex("f")).acquired()).isTrue();
    }

    @Test
    void silentInstanceIsDeadAndItsLocksAreVoid() {
        acquire(a, ex("f"));
        advance(STALE.plusSeconds(1));
        store.heartbeat(b);
        assertThat(acquire(b, ex("f")).acquired()).isTrue();
        assertThat(store.read().instances()).extracting(Instance::id).doesNotContain("claude-a");
        // when it comes back it learns what happened
        Snapshot back = store.touch(a);
        assertThat(back.notices()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Notice.Kind.DECLARED_DEAD);
            assertThat(n.path()).isEqualTo("f");
        });
        assertThat(back.instances()).extracting(Instance::id).contains("claude-a");
    }

    @Test
    void locksOfAnExitedProcessAreVoidAtOnce() {
        acquire(a, ex("f"));
        killProcess(a.pid());
        assertThat(acquire(b, ex("f")).acquired()).isTrue();
    }

    @Test
    void releasingWhatYouDoNotHoldSaysWhoHoldsIt() {
        long token = acquire(a, ex("f")).grants().get(0).token();
        ReleaseOutcome out = release(b, "f", "g");
        assertThat(out.released()).isEmpty();
        assertThat(out.notHeld()).hasSize(2);
        assertThat(out.notHeld().get(0).code()).isEqualTo(ErrorCode.NOT_HELD);
        assertThat(out.notHeld().get(0).heldBy().instanceId()).isEqualTo("claude-a");
        assertThat(out.notHeld().get(0).token()).isEqualTo(token);
        assertThat(out.notHeld().get(1).heldBy()).isNull();
        assertThat(acquire(b, ex("f")).acquired()).isFalse();
    }

    @Test
    void forcedReleaseTellsTheFormerHolder() {
        long token = acquire(a, ex("f")).grants().get(0).token();
        ReleaseOutcome out = store.release(b, List.of("f"), true, "holder is stuck", Map.of());
        assertThat(out.released()).singleElement().satisfies(r -> {
            assertThat(r.forced()).isTrue();
            assertThat(r.holder()).isEqualTo("claude-a");
            assertThat(r.token()).isEqualTo(token);
        });
        Snapshot seen = store.touch(a);
        assertThat(seen.notices()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Notice.Kind.FORCED_RELEASE);
            assertThat(n.by()).isEqualTo("claude-b");
            assertThat(n.reason()).isEqualTo("holder is stuck");
        });
        // told once only
        assertThat(store.touch(a).notices()).isEmpty();
    }

    @Test
    void releaseAllReleasesOnlyTheCallersLocks() {
        acquire(a, ex("1", "2"));
        acquire(b, ex("3"));
        ReleaseOutcome out = store.release(a, null, false, null, Map.of());
        assertThat(out.released()).extracting(r -> r.path()).containsExactlyInAnyOrder("1", "2");
        assertThat(store.read().locks()).extracting(l -> l.path()).containsExactly("3");
    }

    @Test
    void waitersAreServedFirstComeFirstServed() {
        acquire(a, ex("hot"));
        Instant until = store.now().plusSeconds(60);
        assertThat(store.acquire(b, ex("hot"), TTL, null, until).acquired()).isFalse();
        // c comes later and does not wait: the queue blocks it even once the lock is free
        release(a, "hot");
        AcquireOutcome barging = acquire(c, ex("hot"));
        assertThat(barging.acquired()).isFalse();
        assertThat(barging.conflicts()).singleElement().satisfies(cf -> {
            assertThat(cf.waiting()).isTrue();
            assertThat(cf.heldBy().instanceId()).isEqualTo("claude-b");
        });
        assertThat(store.acquire(b, ex("hot"), TTL, null, until).acquired()).isTrue();
        assertThat(store.read().waiters()).isEmpty();
    }

    @Test
    void aWaiterThatGaveUpNoLongerBlocks() {
        acquire(a, ex("hot"));
        store.acquire(b, ex("hot"), TTL, null, store.now().plusSeconds(5));
        release(a, "hot");
        advance(Duration.ofSeconds(6));
        store.heartbeat(c);
        assertThat(acquire(c, ex("hot")).acquired()).isTrue();
    }

    @Test
    void cancelledWaitNoLongerBlocks() {
        acquire(a, ex("hot"));
        store.acquire(b, ex("hot"), TTL, null, store.now().plusSeconds(60));
        store.cancelWait(b);
        release(a, "hot");
        assertThat(acquire(c, ex("hot")).acquired()).isTrue();
    }

    @Test
    void unregisterReleasesEverything() {
        acquire(a, ex("f"));
        store.acquire(a, ex("g"), TTL, null, null);
        store.unregister(a.id(), "exit");
        assertThat(store.read().locks()).isEmpty();
        assertThat(store.read().instances()).extracting(Instance::id).doesNotContain("claude-a");
        assertThat(acquire(b, ex("f", "g")).acquired()).isTrue();
    }

    @Test
    void editOutsideAnyLockIsReportedAtTheNextAcquire() {
        store.acquire(a, List.of(new LockRequest("f", LockMode.EXCLUSIVE, "h1")), TTL, null, null);
        store.release(a, List.of("f"), false, null, Map.of("f", "h2"));
        Grant unchanged = store.acquire(b, List.of(new LockRequest("f", LockMode.EXCLUSIVE, "h2")), TTL, null, null)
                .grants()
                .get(0);
        assertThat(unchanged.changedSinceRelease()).isFalse();
        store.release(b, List.of("f"), false, null, Map.of("f", "h3"));
        Grant changed = store.acquire(c, List.of(new LockRequest("f", LockMode.EXCLUSIVE, "h4")), TTL, null, null)
                .grants()
                .get(0);
        assertThat(changed.changedSinceRelease()).isTrue();
        assertThat(changed.lastReleasedBy()).isEqualTo("claude-b");
    }

    @Test
    void releaseReturnsTheHashRecordedAtGrant() {
        store.acquire(a, List.of(new LockRequest("f", LockMode.EXCLUSIVE, "h1")), TTL, null, null);
        assertThat(store.release(a, List.of("f"), false, null, Map.of())
                        .released()
                        .get(0)
                        .sha256AtGrant())
                .isEqualTo("h1");
    }

    @Test
    void decisionIdsAreSequentialPerDayAndQueriesComeNewestFirst() {
        Decision d1 = store.appendDecision(
                a, new DecisionDraft("api", "Use JWT", "15 min expiry", "service", List.of("auth"), null));
        Decision d2 =
                store.appendDecision(b, new DecisionDraft("db", "Postgres 16", "for jsonb", "system", List.of(), null));
        Decision d3 = store.appendDecision(
                a, new DecisionDraft("api", "Refresh tokens", "7 days", "service", List.of("auth"), d1.id()));
        assertThat(d1.id()).matches("DEC-\\d{8}-0001");
        assertThat(d2.id()).matches("DEC-\\d{8}-0002");
        assertThat(d3.id()).matches("DEC-\\d{8}-0003");
        assertThat(d1.author()).isEqualTo("claude-a");
        assertThat(store.decisions(new DecisionQuery("API", null, null, 10)))
                .extracting(Decision::id)
                .containsExactly(d3.id(), d1.id());
        assertThat(store.decisions(new DecisionQuery(null, "jsonb", null, 10)))
                .extracting(Decision::id)
                .containsExactly(d2.id());
        assertThat(store.decisions(new DecisionQuery(null, "auth days", null, 10)))
                .extracting(Decision::id)
                .containsExactly(d3.id());
        assertThat(store.decisions(new DecisionQuery(null, null, null, 2)))
                .extracting(Decision::id)
                .containsExactly(d3.id(), d2.id());
        assertThat(store.decision(d3.id()))
                .get()
                .extracting(Decision::supersedes)
                .isEqualTo(d1.id());
        assertThat(store.decision("DEC-19990101-0001")).isEmpty();
    }

    @Test
    void decisionsSurviveReopenAndIdsContinue() {
        Decision d1 = store.appendDecision(a, new DecisionDraft("x", "t", "d", null, List.of(), null));
        store.close();
        store = reopen();
        Decision d2 = store.appendDecision(b, new DecisionDraft("x", "t2", "d2", null, List.of(), null));
        assertThat(store.decision(d1.id())).isPresent();
        assertThat(d2.id()).isNotEqualTo(d1.id());
        assertThat(d2.id().substring(13)).isEqualTo("0002");
    }

    @Test
    void decisionSinceFilters() {
        store.appendDecision(a, new DecisionDraft("x", "old", "d", null, List.of(), null));
        advance(Duration.ofHours(1));
        Instant mark = store.now();
        store.appendDecision(a, new DecisionDraft("x", "new", "d", null, List.of(), null));
        assertThat(store.decisions(new DecisionQuery(null, null, mark, 10)))
                .extracting(Decision::title)
                .containsExactly("new");
    }

    @Test
    void cleanupRemovesDeadInstancesAndTheirLocks() {
        acquire(a, ex("f"));
        killProcess(a.pid());
        assertThat(store.cleanup()).isGreaterThanOrEqualTo(2);
        assertThat(store.read().locks()).isEmpty();
    }

    @Test
    void readHidesDeadInstancesAndExpiredLocksWithoutACaller() {
        acquire(a, ex("f"));
        acquire(b, ex("g"));
        killProcess(a.pid());
        assertThat(store.read().locks()).extracting(l -> l.path()).containsExactly("g");
        advance(TTL.plusSeconds(1));
        assertThat(store.read().locks()).isEmpty();
    }
}
