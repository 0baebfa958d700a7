package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.Session;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Waiter;
import dev.coord.engine.service.LockService.ReleaseResult;
import dev.coord.engine.service.LockService.ReleasedLock;
import dev.coord.engine.testing.ServiceFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockServiceTest {
    @TempDir
    java.nio.file.Path tmp;

    private ServiceFixture f;
    private Session mine;
    private Session theirs;
    private LockCalls me;
    private LockCalls them;

    @BeforeEach
    void setUp() {
        f = new ServiceFixture(tmp);
        mine = f.session("claude-me", 101);
        theirs = f.session("claude-them", 102);
        me = new LockCalls(f.locks(mine));
        them = new LockCalls(f.locks(theirs));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private void assertInvalid(ThrowingCallable call, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(CoordException.class)
                .hasMessage(message)
                .extracting(e -> ((CoordException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(f.store.read().locks())
                .as("nothing locked after a refused call")
                .isEmpty();
        assertThat(f.store.read().waiters()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------- argument errors

    @Test
    void acquireArgumentErrors() {
        assertInvalid(() -> me.acquire(List.of(), null, null, null, null), "paths must list at least one path");
        assertInvalid(() -> me.acquire(null, null, null, null, null), "paths must list at least one path");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= AcquireLockTool.MAX_PATHS; i++) {
            many.add("src/F" + i + ".java");
        }
        assertInvalid(
                () -> me.acquire(many, null, null, null, null),
                "at most 100 paths per call, got 101; lock a directory instead");
        assertThat(me.acquire(many.subList(0, 100), null, null, null, null).acquired())
                .isTrue();
        me.release(null, true, false, null);

        List<String> one = List.of("src/A.java");
        assertInvalid(() -> me.acquire(one, null, 9L, null, null), "ttl_seconds must be between 10 and 86400, got 9");
        assertInvalid(
                () -> me.acquire(one, null, 86_401L, null, null),
                "ttl_seconds must be between 10 and 86400, got 86401");
        assertInvalid(() -> me.acquire(one, null, -5L, null, null), "ttl_seconds must be between 10 and 86400, got -5");
        assertInvalid(() -> me.acquire(one, null, null, null, -1L), "wait_seconds must be between 0 and 300, got -1");
        assertInvalid(() -> me.acquire(one, null, null, null, 301L), "wait_seconds must be between 0 and 300, got 301");
        assertInvalid(
                () -> me.acquire(one, "write", null, null, null),
                "mode must be \"exclusive\" or \"shared\", got \"write\"");
        assertInvalid(
                () -> me.acquire(one, null, null, "x".repeat(501), null),
                "reason must be at most 500 characters, got 501");
        // the bounds themselves are fine
        assertThat(me.acquire(one, "shared", 10L, "x".repeat(500), 0L).acquired())
                .isTrue();
        assertThat(me.acquire(one, "SHARED", 86_400L, null, 300L).acquired()).isTrue();
    }

    @Test
    void acquireRefusesBadPathsAsInvalidPath() {
        assertThatThrownBy(() -> me.acquire(List.of("../outside"), null, null, null, null))
                .isInstanceOf(CoordException.class)
                .extracting(e -> ((CoordException) e).code())
                .isEqualTo(ErrorCode.INVALID_PATH);
        assertThatThrownBy(() -> me.acquire(Collections.singletonList(null), null, null, null, null))
                .isInstanceOf(CoordException.class)
                .hasMessage("paths must not contain null");
    }

    @Test
    void releaseArgumentErrors() {
        List<String> one = List.of("src/A.java");
        assertInvalid(() -> me.release(one, true, false, null), "give either paths or all: true, not both");
        assertInvalid(
                () -> me.release(List.of(), false, false, null), "paths must list at least one path, or set all: true");
        assertInvalid(
                () -> me.release(null, false, false, null), "paths must list at least one path, or set all: true");
        assertInvalid(
                () -> me.release(one, false, true, null),
                "force: true needs a reason: it is recorded in the audit log and shown to the holder");
        assertInvalid(
                () -> me.release(one, false, true, "   "),
                "force: true needs a reason: it is recorded in the audit log and shown to the holder");
        assertInvalid(
                () -> me.release(null, true, true, "stuck"),
                "force applies to named paths only; list the paths to take over");
    }

    @Test
    void forceNeedsAReasonAndTakesTheLock() {
        them.acquire(List.of("src/A.java"), null, null, null, null);
        assertThatThrownBy(() -> me.release(List.of("src/A.java"), false, true, null))
                .isInstanceOf(CoordException.class);
        assertThat(f.store.read().locks()).extracting(LockRecord::holder).containsExactly("claude-them");

        ReleaseResult forced = me.release(List.of("src/A.java"), false, true, "holder is stuck");

        assertThat(forced.released()).singleElement().satisfies(r -> assertThat(r.forcedFrom())
                .isEqualTo("claude-them"));
        assertThat(f.store.read().locks()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------- waiting

    @Test
    void waiterGetsTheLockWhenTheHolderReleasesDuringTheWait() {
        assertThat(them.acquire(List.of("src/A.java"), null, null, null, null).acquired())
                .isTrue();
        Instant start = f.clock.instant();
        AtomicInteger pauses = new AtomicInteger();
        List<List<Waiter>> queued = new ArrayList<>();
        f.onSleep = () -> {
            queued.add(f.store.read().waiters());
            if (pauses.incrementAndGet() == 3) {
                them.release(List.of("src/A.java"), false, false, null);
            }
        };

        AcquireOutcome out = me.acquire(List.of("src/A.java"), null, null, "my turn", 60L);

        assertThat(out.acquired()).isTrue();
        assertThat(out.grants()).singleElement().satisfies(g -> assertThat(g.path())
                .isEqualTo("src/A.java"));
        assertThat(pauses.get()).isEqualTo(3);
        // while it waited it held its place in the queue
        assertThat(queued).allSatisfy(w -> assertThat(w).singleElement().satisfies(x -> assertThat(x.instance())
                .isEqualTo("claude-me")));
        assertThat(f.store.read().waiters()).isEmpty();
        assertThat(f.store.read().locks()).extracting(LockRecord::holder).containsExactly("claude-me");
        assertThat(Duration.between(start, f.clock.instant())).isLessThan(Duration.ofSeconds(1));
        // pauses grow from a short first poll
        assertThat(f.sleeps.get(0)).isEqualTo(Duration.ofMillis(10));
        assertThat(f.sleeps.get(1)).isGreaterThan(f.sleeps.get(0));
    }

    @Test
    void waiterGivesUpAtTheDeadlineAndLeavesTheQueue() {
        them.acquire(List.of("src/A.java"), null, null, null, null);
        Instant start = f.clock.instant();
        List<Integer> queueSizes = new ArrayList<>();
        f.onSleep = () -> queueSizes.add(f.store.read().waiters().size());

        AcquireOutcome out = me.acquire(List.of("src/A.java"), null, null, null, 5L);

        assertThat(out.acquired()).isFalse();
        assertThat(out.conflicts())
                .singleElement()
                .satisfies(c -> assertThat(c.heldBy().instanceId()).isEqualTo("claude-them"));
        assertThat(f.clock.instant()).isAfterOrEqualTo(start.plusSeconds(5));
        assertThat(Duration.between(start, f.clock.instant())).isLessThan(Duration.ofSeconds(6));
        // in the queue at every pause but the last, which passed the deadline
        assertThat(queueSizes.subList(0, queueSizes.size() - 1)).isNotEmpty().containsOnly(1);
        assertThat(f.sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(200)));
        assertThat(f.store.read().waiters()).isEmpty();
        assertThat(f.store.read().locks()).extracting(LockRecord::holder).containsExactly("claude-them");
    }

    @Test
    void withoutWaitARefusalIsImmediate() {
        them.acquire(List.of("src/A.java"), null, null, null, null);

        AcquireOutcome out = me.acquire(List.of("src/A.java"), null, null, null, 0L);

        assertThat(out.acquired()).isFalse();
        assertThat(f.sleeps).isEmpty();
        assertThat(f.store.read().waiters()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------- changed

    @Test
    void releaseTellsWhetherTheFileChangedWhileHeld() {
        f.write("src/Same.java", "class Same {}");
        f.write("src/Edited.java", "class Edited {}");
        f.write("src/dir/X.java", "class X {}");
        me.acquire(List.of("src/Same.java", "src/Edited.java", "src/dir/", "src/New.java"), null, null, null, null);
        f.write("src/Edited.java", "class Edited { int x; }");
        f.write("src/dir/X.java", "class X { int y; }");
        f.write("src/New.java", "class New {}");

        ReleaseResult out = me.release(null, true, false, null);

        assertThat(out.released())
                .extracting(ReleasedLock::path, ReleasedLock::changed)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("src/Same.java", false),
                        org.assertj.core.groups.Tuple.tuple("src/Edited.java", true),
                        org.assertj.core.groups.Tuple.tuple("src/dir/", null),
                        org.assertj.core.groups.Tuple.tuple("src/New.java", true));
        assertThat(f.store.read().locks()).isEmpty();
    }

    @Test
    void namedReleaseTellsWhetherTheFileChanged() {
        f.write("a.txt", "one");
        me.acquire(List.of("a.txt"), null, null, null, null);
        assertThat(me.release(List.of("a.txt"), false, false, null).released())
                .singleElement()
                .satisfies(r -> assertThat(r.changed()).isFalse());
        me.acquire(List.of("a.txt"), null, null, null, null);
        f.write("a.txt", "two");
        assertThat(me.release(List.of("a.txt"), false, false, null).released())
                .singleElement()
                .satisfies(r -> assertThat(r.changed()).isTrue());
    }

    @Test
    void editsMadeByTheHolderWhileAnotherWaitsAreNotBlamedOnAnyone() {
        f.write("src/A.java", "v1");
        them.acquire(List.of("src/A.java"), null, null, null, null);
        f.onSleep = () -> {
            if (f.sleeps.size() == 2) {
                // the holder edits under its lock, then releases
                f.write("src/A.java", "v2");
                them.release(List.of("src/A.java"), false, false, null);
            }
        };

        AcquireOutcome out = me.acquire(List.of("src/A.java"), null, null, null, 60L);

        assertThat(out.acquired()).isTrue();
        Grant g = out.grants().get(0);
        assertThat(g.changedSinceRelease()).as("edited outside any lock").isFalse();
        assertThat(g.lastReleasedBy()).isNull();
        // I did not touch it while I held it
        assertThat(me.release(List.of("src/A.java"), false, false, null).released())
                .singleElement()
                .satisfies(r ->
                        assertThat(r.changed()).as("changed while I held it").isFalse());
    }

    @Test
    void editOutsideAnyLockIsReportedAtTheNextGrant() {
        f.write("src/A.java", "v1");
        them.acquire(List.of("src/A.java"), null, null, null, null);
        them.release(List.of("src/A.java"), false, false, null);
        f.write("src/A.java", "edited by nobody's lock");

        Grant g = me.acquire(List.of("src/A.java"), null, null, null, null)
                .grants()
                .get(0);

        assertThat(g.changedSinceRelease()).isTrue();
        assertThat(g.lastReleasedBy()).isEqualTo("claude-them");
    }

    @Test
    void sharedAndExclusiveThroughTheService() {
        assertThat(me.acquire(List.of("docs/"), "shared", null, null, null).acquired())
                .isTrue();
        assertThat(them.acquire(List.of("docs/guide.md"), "shared", null, null, null)
                        .acquired())
                .isTrue();
        AcquireOutcome refused = them.acquire(List.of("docs/"), "exclusive", null, null, null);
        assertThat(refused.acquired()).isFalse();
        assertThat(refused.conflicts()).singleElement().satisfies(c -> assertThat(c.mode())
                .isEqualTo(LockMode.SHARED));
    }
}
