package dev.coord.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The servers of one repository share one radar run through the cache file; git runs again only when due. */
class RadarRefresherTest {
    @TempDir
    Path dir;

    Path stateDir;
    Path calls;
    Git countingGit;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    final List<Instance> live = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Path main = dir.resolve("main");
        Files.createDirectories(main);
        RadarGitTest.git(main, "init", "-q");
        Files.writeString(main.resolve("f.txt"), "x\n");
        RadarGitTest.git(main, "add", ".");
        RadarGitTest.git(main, "commit", "-qm", "init");
        RadarGitTest.git(
                main, "worktree", "add", "-q", "-b", "a", dir.resolve("wt-a").toString());
        Files.writeString(main.resolve("f.txt"), "main\n");
        Files.writeString(dir.resolve("wt-a/f.txt"), "a\n");
        stateDir = main.resolve(".claude/coordination");
        Files.createDirectories(stateDir);
        calls = dir.resolve("calls");
        Path script = dir.resolve("git-counting");
        Files.writeString(script, "#!/bin/sh\necho x >> '" + calls + "'\nexec git \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        countingGit = new Git(script.toString(), Duration.ofSeconds(30));
        live.add(instance("claude-main", main));
        live.add(instance("claude-a", dir.resolve("wt-a")));
    }

    Instance instance(String id, Path wt) {
        Instant t = now.get();
        return new Instance(id, 1, t, "h", "b", wt.toString(), null, null, null, null, "task", null, t, t);
    }

    RadarRefresher refresher() {
        return new RadarRefresher(
                () -> new Snapshot(now.get(), live, List.of(), List.of(), List.of()),
                new Radar(countingGit, "h", null, clock),
                new RadarCache(stateDir),
                Duration.ofSeconds(5),
                clock);
    }

    long gitCalls() throws Exception {
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    @Test
    void oneServerRunsGitAndTheOthersReadItsResult() throws Exception {
        RadarRefresher first = refresher();
        RadarRefresher second = refresher();
        assertThat(first.latest().overlaps()).isEmpty();
        RadarResult r = first.refresh();
        long afterFirst = gitCalls();
        assertThat(afterFirst).isPositive();
        assertThat(r.overlaps()).containsExactly(new Overlap("f.txt", "claude-a", "claude-main", null));
        assertThat(Files.exists(stateDir.resolve(RadarCache.FILE))).isTrue();

        assertThat(second.refresh()).isEqualTo(r);
        assertThat(second.latest().of("claude-main")).hasSize(1);
        assertThat(gitCalls()).isEqualTo(afterFirst);

        now.set(now.get().plusSeconds(3));
        second.refresh();
        assertThat(gitCalls()).as("younger than the interval: no git").isEqualTo(afterFirst);

        now.set(now.get().plusSeconds(3));
        second.refresh();
        assertThat(gitCalls()).as("older than the interval: git again").isGreaterThan(afterFirst);
    }

    @Test
    void aNewSessionIsSeenAtOnce() throws Exception {
        RadarRefresher r = refresher();
        r.refresh();
        long before = gitCalls();
        live.add(instance("claude-late", dir.resolve("wt-a")));
        RadarResult after = r.refresh();
        assertThat(gitCalls()).isGreaterThan(before);
        assertThat(after.sessions()).containsKey("claude-late");
    }

    @Test
    void aLoneSessionRunsNoGit() throws Exception {
        live.remove(1);
        assertThat(refresher().refresh().overlaps()).isEmpty();
        assertThat(gitCalls()).isZero();
    }

    @Test
    void aDamagedCacheIsRecomputed() throws Exception {
        Files.writeString(stateDir.resolve(RadarCache.FILE), "{not json");
        assertThat(refresher().refresh().overlaps()).hasSize(1);
        assertThat(new RadarCache(stateDir).read()).isPresent();
    }

    @Test
    void aStoppedHolderOfTheRadarLockDoesNotStallTheOthers() throws Exception {
        RadarRefresher first = refresher();
        RadarResult old = first.refresh();
        RadarRefresher second = refresher();
        // another server holds radar.lock and never finishes (stopped with SIGSTOP in the middle of its run)
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                        stateDir.resolve(RadarCache.LOCK),
                        java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock held = ch.lock()) {
            long before = gitCalls();
            now.set(now.get().plusSeconds(6));
            assertThat(second.refresh())
                    .as("busy, and just seen busy: keep the old result")
                    .isEqualTo(old);
            now.set(now.get().plusSeconds(9));
            assertThat(second.refresh()).as("busy for less than two waits").isEqualTo(old);
            assertThat(gitCalls()).isEqualTo(before);
            now.set(now.get().plusSeconds(2));
            RadarResult fresh = second.refresh();
            assertThat(gitCalls())
                    .as("busy for more than two waits: run without the lock")
                    .isGreaterThan(before);
            assertThat(fresh.computedAt()).isEqualTo(now.get());
            assertThat(new RadarCache(stateDir).read()).contains(fresh);
            assertThat(held.isValid()).isTrue();
        }
    }

    @Test
    void anOlderResultDoesNotReplaceANewerOne() throws Exception {
        RadarCache cache = new RadarCache(stateDir);
        RadarResult newer = refresher().refresh();
        RadarResult older = new RadarResult(
                newer.computedAt().minusSeconds(10),
                1,
                newer.git(),
                newer.predicted(),
                newer.base(),
                newer.sessions(),
                List.of(),
                List.of(),
                false,
                List.of());
        cache.write(older);
        assertThat(cache.read()).contains(newer);
    }

    @Test
    void aRunThatTookLongBecauseItsServerWasStoppedStretchesTheIntervalToAMinuteAtMost() throws Exception {
        RadarResult fresh = refresher().refresh();
        // written by a server that was stopped for 12 minutes in the middle of its run
        RadarResult slow = new RadarResult(
                fresh.computedAt().plusMillis(1),
                12 * 60_000,
                fresh.git(),
                fresh.predicted(),
                fresh.base(),
                fresh.sessions(),
                fresh.changes(),
                fresh.overlaps(),
                false,
                List.of());
        new RadarCache(stateDir).write(slow);
        RadarRefresher other = refresher();
        long before = gitCalls();
        now.set(now.get().plusSeconds(59));
        assertThat(other.refresh()).as("stretched: still fresh").isEqualTo(slow);
        assertThat(gitCalls()).isEqualTo(before);
        now.set(now.get().plusSeconds(2));
        other.refresh();
        assertThat(gitCalls()).as("a minute at most: git again").isGreaterThan(before);
    }
}
