package dev.coord.engine.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of lock operations, clock jumps, crashes and heartbeats by 3 or 4 instances against the real
 * {@link FileStore}, each step checked against a small reference model of the lock table: the same valid locks
 * (key, holder, mode, token, expiry) and live instances, never two conflicting valid locks, strictly increasing
 * tokens for new grants, and a grant refused exactly when the model finds a conflict. On failure jqwik prints the
 * seed and shrinks the sequence; the seed is reused on the next run.
 */
class LockTableModelTest {
    static final Duration STALE = Duration.ofSeconds(30);
    static final List<String> KEYS = List.of("a.txt", "b.txt", "src/", "src/A.java", "src/b/", "./");
    static final List<Long> TTLS = List.of(20L, 60L);
    static final List<Long> JUMPS = List.of(1L, 3L, 10L, 21L, 31L, 61L);

    // ------------------------------------------------------------------------------------------------- the steps

    sealed interface Step permits Acquire, Release, ReleaseAll, Touch, Heartbeat, Jump, Crash {}

    record Acquire(int who, List<String> keys, LockMode mode, long ttl) implements Step {}

    record Release(int who, List<String> keys) implements Step {}

    record ReleaseAll(int who) implements Step {}

    record Touch(int who) implements Step {}

    record Heartbeat(int who) implements Step {}

    record Jump(long seconds) implements Step {}

    record Crash(int who) implements Step {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> who = Arbitraries.integers().between(0, 3);
        Arbitrary<List<String>> keys = Arbitraries.of(KEYS).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<Step> acquire = Combinators.combine(who, keys, Arbitraries.of(LockMode.class), Arbitraries.of(TTLS))
                .as(Acquire::new);
        Arbitrary<Step> release = Combinators.combine(who, keys).as(Release::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(8, acquire),
                Tuple.of(3, release),
                Tuple.of(1, who.map(ReleaseAll::new)),
                Tuple.of(2, who.map(Touch::new)),
                Tuple.of(2, who.map(Heartbeat::new)),
                Tuple.of(3, Arbitraries.of(JUMPS).map(Jump::new)),
                Tuple.of(1, who.map(Crash::new)));
        return step.list().ofMinSize(1).ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 200)
    void fileStoreBehavesLikeTheModel(
            @ForAll @IntRange(min = 3, max = 4) int instances, @ForAll("steps") List<Step> steps) throws IOException {
        Path dir = Files.createTempDirectory("coord-model");
        FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
        FakeProbe probe = new FakeProbe();
        LivenessJudge judge =
                new LivenessJudge(STALE, new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe);
        Model model = new Model();
        Instance[] slots = new Instance[instances];
        int[] generation = new int[instances];
        for (int i = 0; i < instances; i++) {
            slots[i] = newInstance(i, 0, clock.instant());
        }
        long lastToken = 0;
        try (FileStore store = FileStore.open(dir, clock, judge, FileStoreOptions.defaults())) {
            int n = 0;
            for (Step step : steps) {
                n++;
                String at = "step " + n + " " + step + " of " + steps;
                Instant now = clock.instant();
                if (step instanceof Acquire a) {
                    Instance caller = slots[a.who() % instances];
                    List<LockRequest> requests = a.keys().stream()
                            .map(k -> new LockRequest(k, a.mode(), null))
                            .toList();
                    Model.Outcome expected = model.acquire(caller.id(), a.keys(), a.mode(), a.ttl(), now);
                    AcquireOutcome got = store.acquire(caller, requests, Duration.ofSeconds(a.ttl()), null, null);
                    assertThat(got.acquired()).as("granted? %s", at).isEqualTo(expected.granted());
                    Statistics.label("acquire").collect(got.acquired() ? "granted" : "refused");
                    if (got.acquired()) {
                        for (Grant g : got.grants()) {
                            Model.Lock mine = model.own(caller.id(), g.path());
                            assertThat(g.renewed())
                                    .as("renewed %s at %s", g.path(), at)
                                    .isEqualTo(mine.token != 0);
                            if (g.renewed()) {
                                assertThat(g.token())
                                        .as("renewal keeps the token, %s", at)
                                        .isEqualTo(mine.token);
                            } else {
                                assertThat(g.token())
                                        .as("a new grant's token is above every earlier one, %s", at)
                                        .isGreaterThan(lastToken);
                                lastToken = g.token();
                                mine.token = g.token();
                            }
                        }
                    } else {
                        assertThat(got.conflicts()).as(at).isNotEmpty();
                    }
                } else if (step instanceof Release r) {
                    Instance caller = slots[r.who() % instances];
                    model.release(caller.id(), r.keys(), now);
                    store.release(caller, r.keys(), false, null, Map.of());
                } else if (step instanceof ReleaseAll r) {
                    Instance caller = slots[r.who() % instances];
                    model.release(caller.id(), null, now);
                    store.release(caller, null, false, null, Map.of());
                } else if (step instanceof Touch t) {
                    Instance caller = slots[t.who() % instances];
                    model.enter(caller.id(), true, now);
                    store.touch(caller);
                } else if (step instanceof Heartbeat h) {
                    Instance caller = slots[h.who() % instances];
                    model.enter(caller.id(), false, now);
                    store.heartbeat(caller);
                } else if (step instanceof Jump j) {
                    clock.advance(Duration.ofSeconds(j.seconds()));
                } else if (step instanceof Crash c) {
                    int slot = c.who() % instances;
                    probe.kill(slots[slot].pid());
                    model.dead.add(slots[slot].id());
                    // the session's process is gone; a new one starts in its place
                    slots[slot] = newInstance(slot, ++generation[slot], clock.instant());
                }
                Snapshot seen = store.read();
                Statistics.label("locks").collect(seen.locks().size());
                Statistics.label("instances").collect(seen.instances().size());
                Model view = model.sweptCopy(clock.instant());
                assertThat(describe(seen.locks()))
                        .as("valid locks after %s", at)
                        .isEqualTo(view.describeLocks());
                assertThat(seen.instances().stream().map(Instance::id).sorted().toList())
                        .as("live instances after %s", at)
                        .isEqualTo(view.instances.keySet().stream().sorted().toList());
                assertNoConflicts(seen.locks(), at);
            }
        } finally {
            deleteTree(dir);
        }
        // the sequences must exercise both answers, or the comparison proves little
        Statistics.label("acquire").coverage(c -> {
            c.check("granted").percentage(p -> p > 30);
            c.check("refused").percentage(p -> p > 10);
        });
    }

    private static Instance newInstance(int slot, int generation, Instant now) {
        String id = String.format("claude-20261121-100000-%04x%04x", slot, generation);
        return Instances.instance(id, 1000 + slot * 100L + generation, now);
    }

    private static Set<String> describe(List<LockRecord> locks) {
        Set<String> out = new TreeSet<>();
        for (LockRecord l : locks) {
            out.add(l.path() + " " + l.mode() + " " + l.holder() + " #" + l.token() + " until " + l.expiresAt());
        }
        return out;
    }

    private static void assertNoConflicts(List<LockRecord> locks, String at) {
        for (LockRecord a : locks) {
            for (LockRecord b : locks) {
                if (a != b && !a.holder().equals(b.holder()) && Model.overlaps(a.path(), b.path())) {
                    assertThat(a.mode().compatibleWith(b.mode()))
                            .as("%s and %s are both valid after %s", a, b, at)
                            .isTrue();
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- the model

    /**
     * The reference: registered instances with their last heartbeat, crashed ones, and locks with holder, mode,
     * token and expiry. A lock is valid while its lease runs and its holder lives; an instance lives while its
     * process does and its heartbeat is at most {@link #STALE} old. Every call by an instance refreshes its
     * heartbeat, and every call but a heartbeat renews its unexpired leases; then dead instances and expired
     * locks are removed, except that a caller that was silent too long itself, or finds every instance silent too
     * long (the host slept, the clock jumped forward), reaps no one for silence: it gives every silent instance whose
     * process lives a fresh heartbeat instead.
     */
    static final class Model {
        static final class Lock {
            final String key;
            LockMode mode;
            final String holder;
            long token;
            Instant expiresAt;
            long ttl;

            Lock(String key, LockMode mode, String holder, long token, Instant expiresAt, long ttl) {
                this.key = key;
                this.mode = mode;
                this.holder = holder;
                this.token = token;
                this.expiresAt = expiresAt;
                this.ttl = ttl;
            }
        }

        record Outcome(boolean granted) {}

        final Map<String, Instant> instances = new HashMap<>();
        final Set<String> dead = new TreeSet<>();
        final List<Lock> locks = new ArrayList<>();

        static boolean overlaps(String a, String b) {
            return a.equals(b)
                    || a.equals("./")
                    || b.equals("./")
                    || (a.endsWith("/") && b.startsWith(a))
                    || (b.endsWith("/") && a.startsWith(b));
        }

        void enter(String caller, boolean renew, Instant now) {
            // nobody beat for a whole stale timeout (the host slept, the clock jumped): same as the caller silent
            boolean everyoneSilent = !instances.isEmpty()
                    && instances.values().stream()
                            .allMatch(t -> Duration.between(t, now).compareTo(STALE) > 0);
            Instant last = instances.put(caller, now);
            boolean hostSlept = everyoneSilent
                    || (last != null && Duration.between(last, now).compareTo(STALE) > 0);
            if (renew) {
                for (Lock l : locks) {
                    if (l.holder.equals(caller) && now.isBefore(l.expiresAt)) {
                        l.expiresAt = now.plusSeconds(l.ttl);
                    }
                }
            }
            sweep(now, hostSlept);
        }

        void sweep(Instant now, boolean hostSlept) {
            for (Iterator<Map.Entry<String, Instant>> it = instances.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Instant> e = it.next();
                boolean silent = Duration.between(e.getValue(), now).compareTo(STALE) > 0;
                boolean crashed = dead.contains(e.getKey());
                if (silent && hostSlept && !crashed) {
                    e.setValue(now);
                } else if (silent || crashed) {
                    it.remove();
                }
            }
            locks.removeIf(l -> !instances.containsKey(l.holder) || !now.isBefore(l.expiresAt));
        }

        Outcome acquire(String caller, List<String> keys, LockMode mode, long ttl, Instant now) {
            enter(caller, true, now);
            Map<String, LockMode> wanted = new LinkedHashMap<>();
            keys.forEach(k -> wanted.put(k, mode));
            for (String k : wanted.keySet()) {
                for (Lock l : locks) {
                    if (!l.holder.equals(caller) && overlaps(l.key, k) && !l.mode.compatibleWith(mode)) {
                        return new Outcome(false);
                    }
                }
            }
            for (String k : wanted.keySet()) {
                Lock mine = own(caller, k);
                if (mine.token != 0 && mine.mode == mode) {
                    mine.expiresAt = now.plusSeconds(ttl);
                    mine.ttl = ttl;
                    continue;
                }
                if (mine.token != 0) {
                    locks.remove(mine);
                }
                // the token is learned from the grant; 0 marks a lock granted in this call
                locks.add(new Lock(k, mode, caller, 0, now.plusSeconds(ttl), ttl));
            }
            return new Outcome(true);
        }

        /** The caller's lock on the key, or a detached placeholder with token 0 when it has none. */
        Lock own(String caller, String key) {
            for (Lock l : locks) {
                if (l.holder.equals(caller) && l.key.equals(key)) {
                    return l;
                }
            }
            return new Lock(key, LockMode.EXCLUSIVE, caller, 0, Instant.EPOCH, 0);
        }

        void release(String caller, List<String> keys, Instant now) {
            enter(caller, true, now);
            locks.removeIf(l -> l.holder.equals(caller) && (keys == null || keys.contains(l.key)));
        }

        /** What a read at {@code now} sees: the state swept, without changing the model. */
        Model sweptCopy(Instant now) {
            Model copy = new Model();
            copy.instances.putAll(instances);
            copy.dead.addAll(dead);
            for (Lock l : locks) {
                copy.locks.add(new Lock(l.key, l.mode, l.holder, l.token, l.expiresAt, l.ttl));
            }
            copy.sweep(now, false);
            return copy;
        }

        Set<String> describeLocks() {
            Set<String> out = new TreeSet<>();
            for (Lock l : locks) {
                out.add(l.key + " " + l.mode + " " + l.holder + " #" + l.token + " until " + l.expiresAt);
            }
            return out;
        }
    }
}
