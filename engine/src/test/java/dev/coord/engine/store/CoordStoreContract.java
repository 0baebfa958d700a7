package dev.coord.engine.store;

import static dev.coord.engine.testing.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.ClaimOutcome;
import dev.coord.engine.model.ClaimRequest;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.EditClaimOutcome;
import dev.coord.engine.model.FinishOutcome;
import dev.coord.engine.model.FinishRequest;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.HolderRef;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.MessageDraft;
import dev.coord.engine.model.MessageQuery;
import dev.coord.engine.model.MessagesRead;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionRef;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseOutcome;
import dev.coord.engine.model.SendOutcome;
import dev.coord.engine.model.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** The names of the audit events the store recorded so far, oldest first. */
    protected abstract List<String> auditEvents();

    /**
     * Whether the store's clock stands still between {@link #advance} calls (a fake clock). A store judged by a real
     * clock it does not control (a database's) answers false: its times are then checked to lie between a reading
     * taken before the call and one taken after.
     */
    protected boolean clockStandsStill() {
        return true;
    }

    /** Asserts that {@code t} is the store's time of a call made after {@code before}. */
    protected void assertIsStoreTimeSince(Instant t, Instant before) {
        if (clockStandsStill()) {
            assertThat(t).isEqualTo(store.now());
        } else {
            assertThat(t).isBetween(before, store.now());
        }
    }

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
        // b keeps beating while a is silent (had b been silent as long, the host slept: see the next test)
        advance(STALE.minusSeconds(5));
        store.heartbeat(b);
        advance(Duration.ofSeconds(6));
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
    void afterTheHostSleptEveryLiveInstanceGetsAStaleTimeoutToBeat() {
        acquire(a, ex("f"));
        advance(STALE.plusSeconds(1)); // nobody could beat: the host slept, or a stopped process held the store
        store.heartbeat(b);
        advance(Duration.ofSeconds(1));
        assertThat(acquire(b, ex("f")).acquired())
                .as("a is alive and has not had its turn yet")
                .isFalse();
        // b keeps beating (so that b itself never looks like a host waking up, even on a store's real clock)
        advance(STALE.minusSeconds(2));
        store.heartbeat(b);
        advance(Duration.ofSeconds(3));
        assertThat(acquire(b, ex("f")).acquired())
                .as("a stayed silent for a whole stale timeout after the host woke")
                .isTrue();
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

    // ---------------------------------------------------------------- missions

    protected static MissionRef ref(String missionId) {
        return MissionRef.queued(missionId, missionId + ".md", 0);
    }

    protected ClaimOutcome claim(Instance who, MissionRef... refs) {
        return store.claimMission(who, new ClaimRequest(List.of(refs), null, false, null));
    }

    protected MissionClaim record(String missionId) {
        return store.missions().stream()
                .filter(m -> m.missionId().equals(missionId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no record of " + missionId));
    }

    protected FinishOutcome finish(Instance who, String missionId, MissionState outcome, String reason, boolean force) {
        return store.finishMission(who, new FinishRequest(missionId, outcome, "summary", reason, force));
    }

    @Test
    void aClaimWinsOnceAndTheLoserLearnsWhoWonAndWhen() {
        Instant before = store.now();
        ClaimOutcome won = claim(a, ref("m1"));
        assertThat(won.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(won.claim()).satisfies(cl -> {
            assertThat(cl.missionId()).isEqualTo("m1");
            assertThat(cl.file()).isEqualTo("m1.md");
            assertThat(cl.state()).isEqualTo(MissionState.ACTIVE);
            assertThat(cl.claimedBy()).isEqualTo("claude-a");
            assertThat(cl.claimedTask()).isEqualTo("task of claude-a");
            assertIsStoreTimeSince(cl.claimedAt(), before);
            assertThat(cl.settled()).isFalse();
            assertThat(cl.rev()).isPositive();
        });

        ClaimOutcome lost = claim(b, ref("m1"));
        assertThat(lost.result()).isEqualTo(ClaimOutcome.Result.TAKEN);
        assertThat(lost.missionId()).isEqualTo("m1");
        assertThat(lost.holder().instanceId()).isEqualTo("claude-a");
        assertThat(lost.holder().task()).isEqualTo("task of claude-a");
        assertThat(lost.holder().since()).isEqualTo(won.claim().claimedAt());
        assertThat(lost.holder().alive()).isTrue();
        assertThat(lost.holder().stale()).isFalse();
        assertThat(store.missions()).singleElement().isEqualTo(won.claim());
    }

    @Test
    void theFirstCandidateNobodyHoldsIsClaimed() {
        claim(a, ref("m1"));
        ClaimOutcome next = claim(b, ref("m1"), ref("m2"), ref("m3"));
        assertThat(next.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(next.claim().missionId()).isEqualTo("m2");
        assertThat(claim(c).result()).isEqualTo(ClaimOutcome.Result.NONE);
    }

    @Test
    void ofManyConcurrentClaimersExactlyOneWins() throws Exception {
        int threads = 8;
        List<CoordStore> stores = List.of(store, reopen());
        List<Instance> claimers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Instance who = instance("claude-r" + i, 200 + i, store.now());
            stores.get(i % 2).register(who);
            claimers.add(who);
        }
        for (int round = 0; round < 10; round++) {
            String mission = "race-" + round;
            AtomicInteger winners = new AtomicInteger();
            ConcurrentLinkedQueue<String> losersSaw = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> all = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    int index = i;
                    all.add(pool.submit(() -> {
                        go.await();
                        ClaimOutcome out = stores.get(index % 2)
                                .claimMission(
                                        claimers.get(index),
                                        new ClaimRequest(List.of(ref(mission)), null, false, null));
                        if (out.result() == ClaimOutcome.Result.CLAIMED) {
                            winners.incrementAndGet();
                        } else {
                            losersSaw.add(out.result() + " " + out.holder().instanceId());
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : all) {
                    f.get(1, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            String winner = record(mission).claimedBy();
            assertThat(winners.get()).as(mission).isEqualTo(1);
            assertThat(losersSaw).hasSize(threads - 1).allMatch(seen -> seen.equals("TAKEN " + winner));
        }
        stores.get(1).close();
    }

    @Test
    void aRetryWithTheSameRequestIdReturnsTheSameClaim() {
        ClaimOutcome first =
                store.claimMission(a, new ClaimRequest(List.of(ref("m1"), ref("m2")), "req-1", false, null));
        assertThat(first.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);

        ClaimOutcome retry = store.claimMission(a, new ClaimRequest(List.of(ref("m2")), "req-1", false, null));
        assertThat(retry.result()).isEqualTo(ClaimOutcome.Result.REPLAYED);
        assertThat(retry.claim()).isEqualTo(first.claim());
        assertThat(store.missions()).extracting(MissionClaim::missionId).containsExactly("m1");

        // request ids belong to their caller
        ClaimOutcome other = store.claimMission(b, new ClaimRequest(List.of(ref("m2")), "req-1", false, null));
        assertThat(other.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(other.claim().missionId()).isEqualTo("m2");
    }

    @Test
    void aDoneMissionIsNeverClaimedAgainWhateverTheCallerSaw() {
        claim(a, ref("m1"));
        MissionClaim done = finish(a, "m1", MissionState.DONE, null, false).claim();

        // b, in another worktree, still has the file in queue/ and knows the current revision: still refused
        ClaimOutcome again = claim(b, MissionRef.queued("m1", "m1.md", done.rev()));
        assertThat(again.result()).isEqualTo(ClaimOutcome.Result.DONE);
        assertThat(again.claim()).isEqualTo(done);
        assertThat(claim(a, MissionRef.queued("m1", "m1.md", done.rev())).result())
                .as("not even by the session that did it")
                .isEqualTo(ClaimOutcome.Result.DONE);
        assertThat(store.claimMission(
                                b,
                                new ClaimRequest(
                                        List.of(MissionRef.queued("m1", "m1.md", done.rev())), null, true, "take it"))
                        .result())
                .as("nor with force")
                .isEqualTo(ClaimOutcome.Result.DONE);
        // a queue with a done mission first still yields the next one
        assertThat(store.claimMission(
                                b,
                                new ClaimRequest(
                                        List.of(MissionRef.queued("m1", "m1.md", done.rev()), ref("m2")),
                                        null,
                                        false,
                                        null))
                        .claim()
                        .missionId())
                .isEqualTo("m2");
        assertThat(store.missions())
                .filteredOn(c -> c.missionId().equals("m1"))
                .singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo(MissionState.DONE));
    }

    @Test
    void claimingYourOwnMissionAgainSaysSo() {
        MissionClaim mine = claim(a, ref("m1")).claim();
        ClaimOutcome again = claim(a, ref("m1"));
        assertThat(again.result()).isEqualTo(ClaimOutcome.Result.ALREADY_YOURS);
        assertThat(again.claim()).isEqualTo(mine);
    }

    @Test
    void aCandidateWhoseRecordChangedSinceTheCallerLookedIsNotClaimed() {
        MissionClaim claimed = claim(a, ref("m1")).claim();
        MissionClaim given = finish(a, "m1", MissionState.QUEUED, "blocked on the API", false)
                .claim();
        assertThat(given.rev()).isGreaterThan(claimed.rev());

        ClaimOutcome stale = claim(b, MissionRef.queued("m1", "m1.md", claimed.rev()));
        assertThat(stale.result()).isEqualTo(ClaimOutcome.Result.CHANGED);
        ClaimOutcome unaware = claim(b, ref("m1"));
        assertThat(unaware.result()).isEqualTo(ClaimOutcome.Result.CHANGED);
        ClaimOutcome fresh = claim(b, MissionRef.queued("m1", "m1.md", given.rev()));
        assertThat(fresh.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(fresh.claim().rev()).isGreaterThan(given.rev());
        assertThat(claim(c, MissionRef.queued("m9", "m9.md", 42)).result())
                .as("a record the caller saw is gone")
                .isEqualTo(ClaimOutcome.Result.CHANGED);
    }

    @Test
    void onlyTheClaimerMayFinishUnlessForcedWithAReason() {
        claim(a, ref("m1"));
        assertThatThrownBy(() -> finish(b, "m1", MissionState.DONE, null, false))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_HELD))
                .hasMessageContaining("claude-a")
                .hasMessageContaining("task of claude-a");
        assertThatThrownBy(() -> finish(b, "m1", MissionState.DONE, " ", true))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(record("m1").state()).isEqualTo(MissionState.ACTIVE);

        FinishOutcome forced = finish(b, "m1", MissionState.QUEUED, "user asked to reshuffle", true);
        assertThat(forced.holder().instanceId()).isEqualTo("claude-a");
        assertThat(forced.holder().alive()).isTrue();
        assertThat(forced.claim()).satisfies(cl -> {
            assertThat(cl.state()).isEqualTo(MissionState.QUEUED);
            assertThat(cl.changedBy()).isEqualTo("claude-b");
            assertThat(cl.takenFrom()).isEqualTo("claude-a");
            assertThat(cl.reason()).isEqualTo("user asked to reshuffle");
            assertThat(cl.claimedBy()).as("the claim it ended").isEqualTo("claude-a");
        });
        Snapshot told = store.touch(a);
        assertThat(told.notices()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Notice.Kind.MISSION_TAKEN);
            assertThat(n.path()).isEqualTo("m1");
            assertThat(n.by()).isEqualTo("claude-b");
            assertThat(n.reason()).isEqualTo("user asked to reshuffle");
        });
        assertThat(store.touch(a).notices()).isEmpty();
    }

    @Test
    void theClaimerCompletesItsMissionAndARetryChangesNothing() {
        claim(a, ref("m1"));
        Instant before = store.now();
        FinishOutcome done = store.finishMission(
                a, new FinishRequest("m1", MissionState.DONE, " Migrated all 12 tables ", null, false));
        assertThat(done.replayed()).isFalse();
        assertThat(done.holder()).isNull();
        assertThat(done.claim()).satisfies(cl -> {
            assertThat(cl.state()).isEqualTo(MissionState.DONE);
            assertThat(cl.summary()).isEqualTo("Migrated all 12 tables");
            assertIsStoreTimeSince(cl.changedAt(), before);
            assertThat(cl.takenFrom()).isNull();
            assertThat(cl.settled()).isFalse();
        });
        FinishOutcome again = finish(a, "m1", MissionState.DONE, null, false);
        assertThat(again.replayed()).isTrue();
        assertThat(again.claim()).isEqualTo(done.claim());
        assertThatThrownBy(() -> finish(a, "m1", MissionState.QUEUED, "oops", false))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_HELD))
                .hasMessageContaining("completed");
        assertThat(claim(b, ref("m1")).result())
                .as("a done mission is not claimed by someone who did not see it done")
                .isEqualTo(ClaimOutcome.Result.DONE);
    }

    @Test
    void finishingAMissionWithoutRecordIsNotFound() {
        assertThatThrownBy(() -> finish(a, "nope", MissionState.DONE, null, false))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aDeadClaimersMissionIsStrandedAndMayBeFinishedByAnother() {
        claim(a, ref("m1"));
        killProcess(a.pid());
        ClaimOutcome seen = claim(b, ref("m1"));
        assertThat(seen.result()).isEqualTo(ClaimOutcome.Result.TAKEN);
        assertThat(seen.holder().alive()).isFalse();

        FinishOutcome done = finish(b, "m1", MissionState.DONE, null, false);
        assertThat(done.holder().instanceId()).isEqualTo("claude-a");
        assertThat(done.holder().alive()).isFalse();
        assertThat(done.claim().takenFrom()).isEqualTo("claude-a");
        assertThat(done.claim().changedBy()).isEqualTo("claude-b");
    }

    @Test
    void takingOverNeedsForceAndADeadOrStaleClaimer() {
        MissionClaim original = claim(a, ref("m1")).claim();
        ClaimOutcome refused = store.claimMission(b, new ClaimRequest(List.of(ref("m1")), null, true, "mine now"));
        assertThat(refused.result()).as("a live, fresh claimer keeps its claim").isEqualTo(ClaimOutcome.Result.TAKEN);
        assertThatThrownBy(() -> store.claimMission(b, new ClaimRequest(List.of(ref("m1")), null, true, null)))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));

        killProcess(a.pid());
        assertThat(claim(b, ref("m1")).result()).as("without force").isEqualTo(ClaimOutcome.Result.TAKEN);
        ClaimOutcome taken =
                store.claimMission(b, new ClaimRequest(List.of(ref("m1")), null, true, "claude-a crashed"));
        assertThat(taken.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(taken.holder().instanceId()).isEqualTo("claude-a");
        assertThat(taken.holder().alive()).isFalse();
        assertThat(taken.claim()).satisfies(cl -> {
            assertThat(cl.claimedBy()).isEqualTo("claude-b");
            assertThat(cl.takenFrom()).isEqualTo("claude-a");
            assertThat(cl.reason()).isEqualTo("claude-a crashed");
            assertThat(cl.rev()).isGreaterThan(original.rev());
            assertThat(cl.settled()).isFalse();
        });
        assertThat(claim(c, ref("m1")).holder().instanceId()).isEqualTo("claude-b");
    }

    @Test
    void aClaimOlderThanADayIsStaleAndMayBeTakenOverWithForce() {
        claim(a, ref("m1"));
        for (int hour = 0; hour < 24; hour++) {
            advance(Duration.ofHours(1));
            store.heartbeat(a);
            store.heartbeat(b);
        }
        ClaimOutcome seen = claim(b, ref("m1"));
        assertThat(seen.holder().alive()).isTrue();
        assertThat(seen.holder().stale()).isTrue();
        ClaimOutcome taken = store.claimMission(b, new ClaimRequest(List.of(ref("m1")), null, true, "idle for a day"));
        assertThat(taken.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(taken.holder().stale()).isTrue();
        assertThat(store.touch(a).notices()).extracting(Notice::kind).containsExactly(Notice.Kind.MISSION_TAKEN);
    }

    @Test
    void aGivenBackMissionIsClaimableAgain() {
        claim(a, ref("m1"));
        MissionClaim given = finish(a, "m1", MissionState.QUEUED, "needs the schema first", false)
                .claim();
        assertThat(given.state()).isEqualTo(MissionState.QUEUED);
        assertThat(given.reason()).isEqualTo("needs the schema first");
        assertThat(given.summary()).as("a give back keeps its note").isEqualTo("summary");
        ClaimOutcome again = claim(b, MissionRef.queued("m1", "m1.md", given.rev()));
        assertThat(again.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(again.claim().claimedBy()).isEqualTo("claude-b");
        assertThat(again.claim().takenFrom()).isNull();
        assertThat(again.claim().summary())
                .as("the next claimer receives the note")
                .isEqualTo("summary");
    }

    @Test
    void aFileThatNamesItsClaimerCountsAsHeldWithoutARecord() {
        Instant at = store.now().minusSeconds(60);
        MissionRef byA = new MissionRef("m1", "m1.md", 0, "claude-a", at);
        ClaimOutcome refused = claim(b, byA);
        assertThat(refused.result()).isEqualTo(ClaimOutcome.Result.TAKEN);
        assertThat(refused.claim()).isNull();
        assertThat(refused.holder().instanceId()).isEqualTo("claude-a");
        assertThat(refused.holder().since()).isEqualTo(at);
        assertThat(refused.holder().alive()).isTrue();

        ClaimOutcome adopted = claim(a, byA);
        assertThat(adopted.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(adopted.claim().takenFrom()).isNull();

        MissionRef byGone = new MissionRef("m2", "m2.md", 0, "claude-20250101-000000-00000000", null);
        assertThat(claim(b, byGone).holder().alive()).isFalse();
        ClaimOutcome taken = store.claimMission(b, new ClaimRequest(List.of(byGone), null, true, "left by hand"));
        assertThat(taken.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(taken.claim().takenFrom()).isEqualTo("claude-20250101-000000-00000000");
    }

    @Test
    void settlingMarksOnlyTheCurrentRevision() {
        MissionClaim first = claim(a, ref("m1")).claim();
        MissionClaim second = finish(a, "m1", MissionState.DONE, null, false).claim();
        assertThat(store.settleMission("m1", first.rev())).isFalse();
        assertThat(record("m1").settled()).isFalse();
        assertThat(store.settleMission("m1", second.rev())).isTrue();
        assertThat(record("m1").settled()).isTrue();
        assertThat(store.settleMission("m1", second.rev())).as("idempotent").isTrue();
        assertThat(store.settleMission("nope", 1)).isFalse();
    }

    @Test
    void missionRecordsSurviveReopening() {
        MissionClaim claimed = claim(a, ref("m1")).claim();
        store.close();
        store = reopen();
        assertThat(store.missions()).containsExactly(claimed);
        assertThat(claim(b, ref("m1")).holder().instanceId()).isEqualTo("claude-a");
        MissionClaim next = claim(b, ref("m2")).claim();
        assertThat(next.rev()).isGreaterThan(claimed.rev());
    }

    @Test
    void missionChangesAreAudited() {
        claim(a, ref("m1"));
        finish(a, "m1", MissionState.QUEUED, "later", false);
        claim(b, MissionRef.queued("m1", "m1.md", record("m1").rev()));
        killProcess(b.pid());
        store.claimMission(c, new ClaimRequest(List.of(ref("m1")), null, true, "b died"));
        finish(c, "m1", MissionState.DONE, null, false);
        assertThat(auditEvents())
                .filteredOn(e -> e.startsWith("mission_"))
                .containsExactly(
                        "mission_claim", "mission_give_back", "mission_claim", "mission_takeover", "mission_done");
    }

    @Test
    void exclusiveWorkIsReentrantAndMayUseTheStore() {
        String result = store.exclusively(
                "missions",
                () -> store.exclusively("missions", () -> {
                    claim(a, ref("m1"));
                    return "inner";
                }));
        assertThat(result).isEqualTo("inner");
        assertThat(record("m1").claimedBy()).isEqualTo("claude-a");
    }

    @Test
    void exclusiveWorkNeverOverlapsAcrossStoreObjects() throws Exception {
        CoordStore other = reopen();
        try {
            List<CoordStore> stores = List.of(store, other);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger runs = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> all = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    CoordStore on = stores.get(t % 2);
                    all.add(pool.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            on.exclusively("missions", () -> {
                                if (inside.incrementAndGet() != 1) {
                                    overlaps.incrementAndGet();
                                }
                                on.read();
                                runs.incrementAndGet();
                                inside.decrementAndGet();
                                return null;
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> f : all) {
                    f.get(1, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(runs.get()).isEqualTo(200);
            assertThat(overlaps.get()).isZero();
        } finally {
            other.close();
        }
    }

    @Test
    void recentAuditListsTheNewestEventsFirstAndSeesOtherStoreObjects() {
        acquire(a, ex("src/A.java"));
        store.release(b, List.of("src/A.java"), true, "stuck", Map.of());
        List<dev.coord.engine.model.AuditEvent> two = store.recentAudit(2);
        assertThat(two).extracting(dev.coord.engine.model.AuditEvent::event).containsExactly("force", "acquire");
        assertThat(two.get(0).instance()).isEqualTo("claude-b");
        assertThat(two.get(0).path()).isEqualTo("src/A.java");
        assertThat(two.get(0).token()).isEqualTo(two.get(1).token()).isPositive();
        assertThat(two.get(0).details()).containsEntry("holder", "claude-a").containsEntry("reason", "stuck");
        assertThat(two.get(1).at()).isBeforeOrEqualTo(two.get(0).at());

        List<String> all = store.recentAudit(1000).stream()
                .map(dev.coord.engine.model.AuditEvent::event)
                .toList();
        List<String> oldestFirst = new ArrayList<>(auditEvents());
        java.util.Collections.reverse(oldestFirst);
        assertThat(all).isEqualTo(oldestFirst);

        CoordStore other = reopen();
        try {
            acquire(c, ex("src/B.java"));
            assertThat(other.recentAudit(1).get(0).event()).isEqualTo("acquire");
            assertThat(other.recentAudit(1).get(0).instance()).isEqualTo("claude-c");
        } finally {
            other.close();
        }
        assertThatThrownBy(() -> store.recentAudit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- edit claims (Claude Code's edit hook) ----

    protected static final Duration IDLE = Duration.ofMinutes(10);

    private static LockRecord onlyLock(Snapshot snap, String path) {
        List<LockRecord> found =
                snap.locks().stream().filter(l -> l.path().equals(path)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void anEditClaimIsAnAutomaticExclusiveLockThatEveryoneSees() {
        Instant before = store.now();
        EditClaimOutcome out = store.claimEdit(a, "src/a.txt", "h1", IDLE);
        assertThat(out.status()).isEqualTo(EditClaimOutcome.Status.CLAIMED);
        assertThat(out.claim().token()).isPositive();
        LockRecord l = onlyLock(store.read(), "src/a.txt");
        assertThat(l.auto()).isTrue();
        assertThat(l.mode()).isEqualTo(LockMode.EXCLUSIVE);
        assertThat(l.holder()).isEqualTo("claude-a");
        assertThat(l.ttlSeconds()).isEqualTo(IDLE.toSeconds());
        assertIsStoreTimeSince(l.expiresAt().minus(IDLE), before);
        AcquireOutcome other = acquire(b, sh("src/"));
        assertThat(other.acquired()).isFalse();
        assertThat(other.conflicts().get(0).heldBy().instanceId()).isEqualTo("claude-a");
        assertThat(auditEvents()).contains("claim");
    }

    @Test
    void anEditClaimIsRefusedWhileAnotherSessionHoldsTheFileOrADirectoryAboveInAnyMode() {
        assertThat(acquire(b, sh("src/")).acquired()).isTrue();
        EditClaimOutcome out = store.claimEdit(a, "src/a.txt", null, IDLE);
        assertThat(out.status()).isEqualTo(EditClaimOutcome.Status.HELD);
        assertThat(out.claim()).isNull();
        assertThat(out.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.heldPath()).isEqualTo("src/");
            assertThat(c.heldBy().instanceId()).isEqualTo("claude-b");
            assertThat(c.heldBy().task()).isEqualTo("task of claude-b");
            assertThat(c.mode()).isEqualTo(LockMode.SHARED);
        });
        // nothing taken, nothing broken
        assertThat(store.read().locks()).singleElement().satisfies(l -> {
            assertThat(l.holder()).isEqualTo("claude-b");
            assertThat(l.path()).isEqualTo("src/");
        });
        assertThat(store.claimEdit(b, "src/a.txt", null, IDLE).status()).isEqualTo(EditClaimOutcome.Status.COVERED);
        assertThat(store.claimEdit(c, "src/a.txt", null, IDLE).status()).isEqualTo(EditClaimOutcome.Status.HELD);
        EditClaimOutcome first = store.claimEdit(a, "docs/x.md", null, IDLE);
        assertThat(store.claimEdit(c, "docs/x.md", null, IDLE).conflicts())
                .singleElement()
                .satisfies(k -> assertThat(k.token()).isEqualTo(first.claim().token()));
    }

    @Test
    void aFileCoveredByTheCallersOwnLockNeedsNoClaim() {
        assertThat(acquire(a, ex("src/")).acquired()).isTrue();
        EditClaimOutcome out = store.claimEdit(a, "src/a.txt", null, IDLE);
        assertThat(out.status()).isEqualTo(EditClaimOutcome.Status.COVERED);
        assertThat(store.read().locks()).singleElement().satisfies(l -> assertThat(l.auto())
                .isFalse());
    }

    @Test
    void anotherEditRenewsTheClaimButOtherActivityDoesNotAndTheClaimEndsAfterTheIdleTime() {
        assertThat(acquire(a, ex("notes.md")).acquired()).isTrue();
        long token = store.claimEdit(a, "src/a.txt", null, IDLE).claim().token();
        advance(Duration.ofMinutes(6));
        EditClaimOutcome again = store.claimEdit(a, "src/a.txt", null, IDLE);
        assertThat(again.status()).isEqualTo(EditClaimOutcome.Status.RENEWED);
        assertThat(again.claim().token()).isEqualTo(token);
        Instant renewedUntil = onlyLock(store.read(), "src/a.txt").expiresAt();
        advance(Duration.ofMinutes(6));
        store.touch(a); // activity: renews notes.md, not the claim
        assertThat(onlyLock(store.read(), "src/a.txt").expiresAt()).isEqualTo(renewedUntil);
        advance(Duration.ofMinutes(5));
        Snapshot after = store.touch(a);
        assertThat(after.locks()).extracting(LockRecord::path).containsExactly("notes.md");
        // a claim lapsing is not news (the next edit claims the file again)
        assertThat(after.notices()).noneSatisfy(n -> assertThat(n.path()).isEqualTo("src/a.txt"));
        assertThat(store.claimEdit(b, "src/a.txt", null, IDLE).status()).isEqualTo(EditClaimOutcome.Status.CLAIMED);
    }

    @Test
    void releaseAndSessionEndEndClaimsAndEndEditClaimsLeavesOtherLocks() {
        store.claimEdit(a, "a.txt", null, IDLE);
        store.claimEdit(a, "b.txt", null, IDLE);
        assertThat(acquire(a, ex("c.txt")).acquired()).isTrue();
        assertThat(release(a, "a.txt").released()).hasSize(1);
        assertThat(store.endEditClaims(a, List.of("b.txt", "c.txt"), Map.of(), "committed"))
                .containsExactly("b.txt");
        assertThat(store.read().locks()).extracting(LockRecord::path).containsExactly("c.txt");
        store.claimEdit(a, "d.txt", null, IDLE);
        store.unregister("claude-a", "session ended");
        assertThat(store.read().locks()).isEmpty();
    }

    @Test
    void theEditGuardReadsTheFilesHashOnlyWhenItGrantsANewClaim() {
        java.util.concurrent.atomic.AtomicInteger hashed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<String> hash = () -> {
            hashed.incrementAndGet();
            return "h1";
        };
        EditClaimOutcome first = store.claimEditHashing(a, "src/a.txt", hash, IDLE);
        assertThat(first.status()).isEqualTo(EditClaimOutcome.Status.CLAIMED);
        assertThat(hashed).hasValue(1);
        assertThat(onlyLock(store.read(), "src/a.txt").sha256()).isEqualTo("h1");
        // a renewal, a conflict and a file under the caller's own lock read nothing
        assertThat(store.claimEditHashing(a, "src/a.txt", hash, IDLE).status())
                .isEqualTo(EditClaimOutcome.Status.RENEWED);
        assertThat(store.claimEditHashing(b, "src/a.txt", hash, IDLE).status()).isEqualTo(EditClaimOutcome.Status.HELD);
        assertThat(acquire(b, ex("docs/")).acquired()).isTrue();
        assertThat(store.claimEditHashing(b, "docs/x.md", hash, IDLE).status())
                .isEqualTo(EditClaimOutcome.Status.COVERED);
        assertThat(hashed).hasValue(1);
        // the hash of a new claim still tells a file changed since another session released it
        store.release(a, List.of("src/a.txt"), false, null, Map.of("src/a.txt", "h0"));
        EditClaimOutcome again = store.claimEditHashing(c, "src/a.txt", hash, IDLE);
        assertThat(again.status()).isEqualTo(EditClaimOutcome.Status.CLAIMED);
        assertThat(again.claim().changedSinceRelease()).isTrue();
        assertThat(hashed).hasValue(2);
    }

    @Test
    void aClaimReportsAFileChangedSinceAnotherSessionReleasedIt() {
        store.claimEdit(a, "a.txt", "h1", IDLE);
        assertThat(store.endEditClaims(a, List.of("a.txt"), Map.of("a.txt", "h2"), "committed"))
                .containsExactly("a.txt");
        EditClaimOutcome same = store.claimEdit(b, "a.txt", "h2", IDLE);
        assertThat(same.claim().changedSinceRelease()).isFalse();
        store.release(b, List.of("a.txt"), false, null, Map.of("a.txt", "h2"));
        EditClaimOutcome changed = store.claimEdit(c, "a.txt", "h3", IDLE);
        assertThat(changed.claim().changedSinceRelease()).isTrue();
        assertThat(changed.claim().lastReleasedBy()).isEqualTo("claude-b");
    }

    @Test
    void acquiringAClaimedFileTurnsTheClaimIntoALockThatActivityRenews() {
        long token = store.claimEdit(a, "a.txt", null, IDLE).claim().token();
        AcquireOutcome out = acquire(a, ex("a.txt"));
        assertThat(out.grants()).singleElement().satisfies(g -> assertThat(g.token())
                .isEqualTo(token));
        LockRecord l = onlyLock(store.read(), "a.txt");
        assertThat(l.auto()).isFalse();
        advance(Duration.ofMinutes(20));
        store.touch(a);
        advance(Duration.ofMinutes(20));
        assertThat(store.touch(a).locks()).extracting(LockRecord::path).containsExactly("a.txt");
    }

    @Test
    void recordAuditAppendsAnEvent() {
        store.recordAudit("claude-a", "hook_error", Map.of("error", "boom"));
        assertThat(auditEvents()).last().isEqualTo("hook_error");
    }

    @Test
    void ofManySessionsClaimingOneFileAtOnceExactlyOneGetsIt() throws Exception {
        CoordStore other = reopen();
        List<Instance> sessions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Instance inst = instance("claude-r" + i, 200 + i, store.now());
            store.register(inst);
            sessions.add(inst);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<EditClaimOutcome>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                CoordStore on = i % 2 == 0 ? store : other;
                Instance who = sessions.get(i);
                all.add(pool.submit(() -> {
                    start.await();
                    return on.claimEdit(who, "race.txt", null, IDLE);
                }));
            }
            start.countDown();
            int claimed = 0;
            for (Future<EditClaimOutcome> f : all) {
                EditClaimOutcome o = f.get(1, TimeUnit.MINUTES);
                if (o.status() == EditClaimOutcome.Status.CLAIMED) {
                    claimed++;
                } else {
                    assertThat(o.status()).isEqualTo(EditClaimOutcome.Status.HELD);
                }
            }
            assertThat(claimed).isEqualTo(1);
            assertThat(store.read().locks()).hasSize(1);
        } finally {
            pool.shutdownNow();
            other.close();
        }
    }

    // ---------------------------------------------------------------- messages

    protected SendOutcome send(Instance from, String to, String body) {
        return store.sendMessage(from, MessageDraft.note(to, "subject " + body, body));
    }

    protected MessagesRead readAll(Instance who) {
        return store.readMessages(who, new MessageQuery(false, null, null, 100));
    }

    protected MessagesRead readUnread(Instance who) {
        return store.readMessages(who, new MessageQuery(true, null, null, 100));
    }

    @Test
    void aMessageReachesItsRecipientOnceAndReadingMarksItRead() {
        Instant before = store.now();
        SendOutcome sent = send(a, "claude-b", "hello");
        assertThat(sent.message().id()).matches("msg-\\d{8}-[0-9a-f]{8}");
        assertThat(sent.deliveredTo()).extracting(HolderRef::instanceId).containsExactly("claude-b");
        assertIsStoreTimeSince(sent.message().at(), before);
        assertThat(store.inbox("claude-b").unread()).isEqualTo(1);
        assertThat(store.inbox("claude-b").newest().from()).isEqualTo("claude-a");
        assertThat(store.inbox("claude-a").isEmpty()).isTrue();
        assertThat(store.inbox("claude-c").isEmpty()).isTrue();

        MessagesRead read = readUnread(b);
        assertThat(read.messages()).extracting(Message::body).containsExactly("hello");
        assertThat(read.messages().get(0).fromTask()).isEqualTo("task of claude-a");
        assertThat(read.unreadLeft()).isZero();
        assertThat(store.inbox("claude-b").isEmpty()).isTrue();
        assertThat(readUnread(b).messages()).isEmpty();
        assertThat(readAll(b).messages()).hasSize(1);
        assertThat(readAll(c).messages()).isEmpty();
    }

    @Test
    void aRoleReachesEveryLiveSessionWithItAndAllReachesEveryoneButTheSender() {
        Instant now = store.now();
        Instance b2 = instance("claude-b2", 104, now).withWork("other task", "role-claude-b", "main");
        store.register(b2);
        assertThat(send(a, "role-claude-b", "to the role").deliveredTo())
                .extracting(HolderRef::instanceId)
                .containsExactlyInAnyOrder("claude-b", "claude-b2");
        assertThat(send(a, "all", "to all").deliveredTo())
                .extracting(HolderRef::instanceId)
                .containsExactlyInAnyOrder("claude-b", "claude-b2", "claude-c");
        assertThat(store.inbox("claude-a").isEmpty()).isTrue();
        assertThat(store.inbox("claude-b2").unread()).isEqualTo(2);
        assertThat(send(a, "person", "to the people").deliveredTo())
                .extracting(HolderRef::instanceId)
                .containsExactly(Message.PERSON);
        assertThat(store.inbox(Message.PERSON).unread()).isEqualTo(1);
    }

    @Test
    void aMessageToASessionThatIsGoneIsRefusedAndNotKept() {
        killProcess(c.pid());
        assertThatThrownBy(() -> send(a, "claude-c", "anyone there?"))
                .isInstanceOf(CoordException.class)
                .hasMessageContaining("claude-c")
                .extracting(e -> ((CoordException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> send(a, "nobody-role", "x"))
                .isInstanceOf(CoordException.class)
                .hasMessageContaining("nobody-role");
        assertThat(store.recentMessages(10)).isEmpty();
    }

    @Test
    void messagesOfASessionThatDiedStayReadable() {
        send(a, "claude-b", "my last words");
        killProcess(a.pid());
        store.touch(c); // sweeps a
        assertThat(store.read().instances()).extracting(Instance::id).doesNotContain("claude-a");
        assertThat(readUnread(b).messages()).extracting(Message::body).containsExactly("my last words");
    }

    @Test
    void holderAddressReachesWhoeverHoldsALockCoveringThePath() {
        acquire(b, ex("src/"));
        assertThat(send(a, "holder:src/auth.ts", "may I?").deliveredTo())
                .extracting(HolderRef::instanceId)
                .containsExactly("claude-b");
        assertThatThrownBy(() -> send(a, "holder:docs/x.md", "anyone?"))
                .isInstanceOf(CoordException.class)
                .hasMessageContaining("docs/x.md");
    }

    @Test
    void repliesFormAThreadAndAReplyWithoutAddressGoesBackToTheSender() {
        Message first = send(a, "claude-b", "question").message();
        assertThat(first.thread()).isEqualTo(first.id());
        Message reply = store.sendMessage(
                        b, new MessageDraft(null, Message.Kind.NOTE, null, "answer", first.id(), List.of(), null))
                .message();
        assertThat(reply.thread()).isEqualTo(first.id());
        assertThat(reply.recipients()).containsExactly("claude-a");
        MessagesRead thread = store.readMessages(a, new MessageQuery(false, reply.id(), null, 50));
        assertThat(thread.messages()).extracting(Message::body).containsExactly("question", "answer");
        assertThatThrownBy(() -> store.sendMessage(
                        b,
                        new MessageDraft(null, Message.Kind.NOTE, null, "x", "msg-20000101-00000000", List.of(), null)))
                .isInstanceOf(CoordException.class)
                .hasMessageContaining("reply_to");
    }

    @Test
    void unreadOnlyReadsTheOldestFirstAndCountsWhatIsLeft() {
        for (int i = 0; i < 5; i++) {
            send(a, "claude-b", "m" + i);
        }
        MessagesRead first = store.readMessages(b, new MessageQuery(true, null, null, 2));
        assertThat(first.messages()).extracting(Message::body).containsExactly("m0", "m1");
        assertThat(first.unreadLeft()).isEqualTo(3);
        assertThat(store.inbox("claude-b").unread()).isEqualTo(3);
        assertThat(store.inbox("claude-b").newest().body()).isEqualTo("m4");
        assertThat(store.readMessages(b, new MessageQuery(true, null, null, 10)).messages())
                .extracting(Message::body)
                .containsExactly("m2", "m3", "m4");
    }

    @Test
    void aRequesterThatIsNotWaitingIsToldWhenTheHolderReleases() {
        acquire(a, ex("src/auth.ts"));
        SendOutcome asked = store.sendMessage(
                b,
                new MessageDraft(
                        null, Message.Kind.RELEASE_REQUEST, null, "I need it", null, List.of("src/auth.ts"), null));
        assertThat(asked.deliveredTo()).extracting(HolderRef::instanceId).containsExactly("claude-a");
        assertThat(readUnread(a).messages().get(0).kind()).isEqualTo(Message.Kind.RELEASE_REQUEST);
        release(a, "src/auth.ts");
        MessagesRead told = readUnread(b);
        assertThat(told.messages()).hasSize(1);
        Message free = told.messages().get(0);
        assertThat(free.kind()).isEqualTo(Message.Kind.PATH_FREE);
        assertThat(free.from()).isEqualTo(Message.COORD);
        assertThat(free.replyTo()).isEqualTo(asked.message().id());
        assertThat(free.aboutPaths()).containsExactly("src/auth.ts");
        // a second release of the same path tells nobody again
        acquire(a, ex("src/auth.ts"));
        release(a, "src/auth.ts");
        assertThat(readUnread(b).messages()).isEmpty();
    }

    @Test
    void aRequesterThatWaitsInTheQueueGetsTheLockRatherThanAMessage() {
        acquire(a, ex("f"));
        store.sendMessage(
                b, new MessageDraft(null, Message.Kind.RELEASE_REQUEST, null, "pls", null, List.of("f"), null));
        store.acquire(b, ex("f"), TTL, null, store.now().plusSeconds(60));
        release(a, "f");
        assertThat(readUnread(b).messages()).isEmpty();
        assertThat(store.acquire(b, ex("f"), TTL, null, null).acquired()).isTrue();
    }

    @Test
    void aHandoverMovesTheLockWithANewTokenInOneStep() {
        long old = acquire(a, ex("src/a.ts")).grants().get(0).token();
        SendOutcome out = store.sendMessage(
                a, new MessageDraft("claude-b", Message.Kind.HANDOVER, null, "yours", null, List.of("src/a.ts"), null));
        assertThat(out.handedOver()).hasSize(1);
        assertThat(out.handedOver().get(0).token()).isGreaterThan(old);
        LockRecord now = store.read().locks().get(0);
        assertThat(now.holder()).isEqualTo("claude-b");
        assertThat(now.token()).isEqualTo(out.handedOver().get(0).token());
        assertThat(store.read().locks()).hasSize(1);
        assertThat(readUnread(b).messages().get(0).kind()).isEqualTo(Message.Kind.HANDOVER);
        assertThat(auditEvents()).contains("handover");
        assertThat(release(a, "src/a.ts").released()).isEmpty();
        assertThat(release(b, "src/a.ts").released()).hasSize(1);
    }

    @Test
    void aHandoverToASessionThatIsNotAliveIsRefusedAndMovesNothing() {
        acquire(a, ex("f"));
        killProcess(c.pid());
        assertThatThrownBy(() -> store.sendMessage(
                        a, new MessageDraft("claude-c", Message.Kind.HANDOVER, null, "x", null, List.of("f"), null)))
                .isInstanceOf(CoordException.class)
                .hasMessageContaining("claude-c")
                .extracting(e -> ((CoordException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(store.read().locks().get(0).holder()).isEqualTo("claude-a");
        assertThatThrownBy(() -> store.sendMessage(
                        a, new MessageDraft("claude-b", Message.Kind.HANDOVER, null, "x", null, List.of("g"), null)))
                .isInstanceOf(CoordException.class)
                .extracting(e -> ((CoordException) e).code())
                .isEqualTo(ErrorCode.NOT_HELD);
        assertThat(store.recentMessages(10)).isEmpty();
    }

    @Test
    void aHandoverGivesTheActiveMissionToTheReceiver() {
        claim(a, ref("m1"));
        store.sendMessage(
                a, new MessageDraft("claude-b", Message.Kind.HANDOVER, null, "over to you", null, List.of(), "m1"));
        MissionClaim rec = record("m1");
        assertThat(rec.claimedBy()).isEqualTo("claude-b");
        assertThat(rec.takenFrom()).isEqualTo("claude-a");
        assertThat(rec.changedBy()).isEqualTo("claude-a");
        assertThat(rec.settled()).isFalse();
        assertThat(auditEvents()).contains("mission_handover");
        assertThatThrownBy(() -> store.sendMessage(
                        a, new MessageDraft("claude-b", Message.Kind.HANDOVER, null, "x", null, List.of(), "m1")))
                .isInstanceOf(CoordException.class)
                .extracting(e -> ((CoordException) e).code())
                .isEqualTo(ErrorCode.NOT_HELD);
    }

    @Test
    void aGiveBackNoteReachesTheNextClaimer() {
        claim(a, ref("m1"));
        store.finishMission(a, new FinishRequest("m1", MissionState.QUEUED, "half done, see branch x", "busy", false));
        assertThat(record("m1").summary()).isEqualTo("half done, see branch x");
        ClaimOutcome next = store.claimMission(
                b,
                new ClaimRequest(
                        List.of(MissionRef.queued("m1", "m1.md", record("m1").rev())), null, false, null));
        assertThat(next.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(next.claim().summary()).isEqualTo("half done, see branch x");
    }

    @Test
    void messagesSentThroughTwoStoreObjectsAtOnceAreAllKeptWithUniqueIds() throws Exception {
        CoordStore other = reopen();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<SendOutcome>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                CoordStore on = i % 2 == 0 ? store : other;
                String body = "n" + i;
                all.add(pool.submit(() -> on.sendMessage(a, MessageDraft.note("claude-b", null, body))));
            }
            Set<String> ids = new TreeSet<>();
            for (Future<SendOutcome> f : all) {
                ids.add(f.get(1, TimeUnit.MINUTES).message().id());
            }
            assertThat(ids).hasSize(40);
            assertThat(other.inbox("claude-b").unread()).isEqualTo(40);
            assertThat(readAll(b).messages()).extracting(Message::id).containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            pool.shutdownNow();
            other.close();
        }
    }

    @Test
    void theUnreadSummaryFollowsWhatAnotherStoreObjectSendsAndReads() {
        CoordStore other = reopen();
        try {
            assertThat(store.inbox("claude-b").isEmpty()).isTrue();
            other.sendMessage(a, MessageDraft.note("claude-b", "s1", "one"));
            assertThat(store.inbox("claude-b").unread()).isEqualTo(1);
            assertThat(store.inbox("claude-b").unread())
                    .as("asked again, nothing changed")
                    .isEqualTo(1);
            assertThat(store.inbox("claude-c").isEmpty()).isTrue();

            other.readMessages(b, new MessageQuery(true, null, null, 100));
            assertThat(store.inbox("claude-b").isEmpty())
                    .as("read through the other store object")
                    .isTrue();

            other.sendMessage(a, MessageDraft.note("claude-b", "s2", "two"));
            other.sendMessage(c, MessageDraft.note("claude-b", "s3", "three"));
            assertThat(store.inbox("claude-b").unread()).isEqualTo(2);
            assertThat(store.inbox("claude-b").newest().subject()).isEqualTo("s3");
            assertThat(store.inbox("claude-a").isEmpty()).isTrue();
        } finally {
            other.close();
        }
    }

    @Test
    void afterAPruneBothStoreObjectsSeeTheSameMessagesAndLaterSends() {
        send(a, "claude-b", "old one");
        send(a, "claude-b", "old two");
        advance(Messaging.KEEP_FOR.plusDays(1));
        Instant now = store.now();
        Instance a2 = instance("claude-a2", 201, now);
        Instance b2 = instance("claude-b2", 202, now);
        store.register(a2);
        store.register(b2);
        CoordStore other = reopen();
        try {
            assertThat(other.recentMessages(10)).extracting(Message::body).containsExactly("old one", "old two");
            send(a2, "claude-b2", "new"); // finds the old ones due and drops them
            assertThat(store.recentMessages(10)).extracting(Message::body).containsExactly("new");
            other.sendMessage(b2, MessageDraft.note("claude-a2", "s", "from the other"));
            send(a2, "claude-b2", "again");
            assertThat(store.recentMessages(10))
                    .as("the pruning store object reads what is appended after its own prune, once")
                    .extracting(Message::body)
                    .containsExactly("new", "from the other", "again");
            assertThat(other.recentMessages(10))
                    .as("the other store object sees the prune")
                    .extracting(Message::body)
                    .containsExactly("new", "from the other", "again");
            assertThat(store.inbox("claude-b2").unread()).isEqualTo(2);
            assertThat(other.inbox("claude-a2").unread()).isEqualTo(1);
        } finally {
            other.close();
        }
    }

    @Test
    void messagesOlderThanTheRetentionAreDropped() {
        send(a, "claude-b", "old");
        advance(Messaging.KEEP_FOR.plusDays(1));
        Instant now = store.now();
        Instance a2 = instance("claude-a2", 201, now);
        Instance b2 = instance("claude-b2", 202, now);
        store.register(a2);
        store.register(b2);
        send(a2, "claude-b2", "new");
        store.cleanup();
        assertThat(store.recentMessages(10)).extracting(Message::body).containsExactly("new");
    }
}
