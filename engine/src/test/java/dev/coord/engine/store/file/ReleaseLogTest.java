package dev.coord.engine.store.file;

import static dev.coord.engine.testing.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.json.Json;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.ReleaseMark;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Release marks live in {@code releases.jsonl}, apart from the lock table, and read the same in every process. */
class ReleaseLogTest {
    private static final Duration TTL = Duration.ofMinutes(30);

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
    private final FakeProbe probe = new FakeProbe();
    private final List<FileStore> opened = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private FileStore open() {
        FileStore s = FileStore.open(
                dir,
                clock,
                new LivenessJudge(
                        Duration.ofSeconds(30), new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe),
                FileStoreOptions.defaults());
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeAndCheckFiles() throws IOException {
        opened.forEach(FileStore::close);
        StateFiles.assertAllParse(dir, 0);
    }

    private Instance live(String id, long pid) {
        return instance(id, pid, clock.instant());
    }

    private static List<LockRequest> ex(String path, String hash) {
        return List.of(new LockRequest(path, LockMode.EXCLUSIVE, hash));
    }

    @Test
    void marksStayOutOfTheLockTableAndReachAnotherStore() throws IOException {
        FileStore one = open();
        FileStore two = open();
        Instance a = live("claude-a", 11);
        Instance b = live("claude-b", 12);
        for (int i = 0; i < 50; i++) {
            one.acquire(a, ex("f" + i, "h1"), TTL, null, null);
            one.release(a, List.of("f" + i), false, null, Map.of("f" + i, "h2"));
        }
        JsonNode table = Json.mapper().readTree(Files.readAllBytes(dir.resolve("locks.json")));
        assertThat(table.path("releases").size()).isZero();
        assertThat(Files.readAllLines(dir.resolve("releases.jsonl"))).hasSize(51);

        Grant g = two.acquire(b, ex("f7", "h3"), TTL, null, null).grants().get(0);
        assertThat(g.changedSinceRelease()).isTrue();
        assertThat(g.lastReleasedBy()).isEqualTo("claude-a");
        // the grant consumed the mark, in every process
        one.release(b, List.of("f7"), false, null, Map.of());
        Grant again = one.acquire(a, ex("f7", "h9"), TTL, null, null).grants().get(0);
        assertThat(again.changedSinceRelease()).isFalse();
    }

    @Test
    void marksOfAnOlderLockTableAreCarriedOver() throws IOException {
        Instant t = clock.instant();
        ReleaseMark old = new ReleaseMark("src/A.java", "claude-gone", "h1", "/repo", t);
        TableDoc legacy = new TableDoc(TableDoc.VERSION, 40, List.of(), List.of(), List.of(old));
        Files.createDirectories(dir);
        Files.write(dir.resolve("locks.json"), Json.mapper().writeValueAsBytes(legacy));

        FileStore store = open();
        Grant g = store.acquire(live("claude-b", 12), ex("src/A.java", "h2"), TTL, null, null)
                .grants()
                .get(0);
        assertThat(g.changedSinceRelease()).isTrue();
        assertThat(g.lastReleasedBy()).isEqualTo("claude-gone");
        assertThat(g.token()).isEqualTo(40);
        JsonNode table = Json.mapper().readTree(Files.readAllBytes(dir.resolve("locks.json")));
        assertThat(table.path("releases").size()).isZero();
    }

    private ReleaseMark mark(int i) {
        return new ReleaseMark("p" + i, "claude-a", "h" + i, "/repo", clock.instant());
    }

    @Test
    void compactionKeepsTheNewestMarksAndAnotherReaderFollows() throws IOException {
        Path file = dir.resolve("releases.jsonl");
        ReleaseLog writer = new ReleaseLog(file, 3, clock, problems::add);
        ReleaseLog reader = new ReleaseLog(file, 3, clock, problems::add);
        for (int i = 0; i < 5; i++) {
            ReleaseLog.Tx tx = writer.begin();
            tx.put(mark(i));
            tx.commit();
        }
        assertThat(reader.all()).extracting(ReleaseMark::path).containsExactly("p2", "p3", "p4");
        String epoch = writer.epoch();
        for (int i = 5; i < 12; i++) {
            ReleaseLog.Tx tx = writer.begin();
            tx.put(mark(i));
            tx.commit();
        }
        assertThat(writer.epoch()).isNotEqualTo(epoch);
        assertThat(Files.readAllLines(file).size()).isLessThanOrEqualTo(1 + 2 * 3);
        assertThat(reader.all()).extracting(ReleaseMark::path).containsExactly("p9", "p10", "p11");
        ReleaseLog.Tx tx = reader.begin();
        assertThat(tx.remove("p10")).isNotNull();
        tx.commit();
        assertThat(writer.all()).extracting(ReleaseMark::path).containsExactly("p9", "p11");
        assertThat(problems).isEmpty();
    }

    @Test
    void aReaderComparesTheHeaderLineAndNoticesAnyOtherEpoch() throws IOException {
        Path file = dir.resolve("releases.jsonl");
        ReleaseLog writer = new ReleaseLog(file, 100, clock, problems::add);
        ReleaseLog reader = new ReleaseLog(file, 100, clock, problems::add);
        for (int i = 0; i < 3; i++) {
            ReleaseLog.Tx tx = writer.begin();
            tx.put(mark(i));
            tx.commit();
        }
        assertThat(reader.all()).extracting(ReleaseMark::path).containsExactly("p0", "p1", "p2");
        String epoch = reader.epoch();
        List<String> lines = Files.readAllLines(file);

        // the same epoch, written differently (another writer's spacing): still the same file, nothing re-read
        String spaced = "{ \"schemaVersion\": 1, \"epoch\": \"" + epoch + "\" }";
        List<String> same = new ArrayList<>(lines);
        same.set(0, spaced);
        same.add(Json.mapper().writeValueAsString(mark(3)));
        Files.write(file, same);
        assertThat(reader.all()).extracting(ReleaseMark::path).hasSize(4).contains("p3");
        assertThat(reader.epoch()).isEqualTo(epoch);

        // a header line of the same length with another epoch, and a longer file: the marks are read afresh
        String other = Long.toHexString(Long.parseUnsignedLong(epoch, 16) ^ 1L);
        List<String> replaced = new ArrayList<>();
        replaced.add(lines.get(0).replace(epoch, other));
        for (int i = 10; i < 20; i++) {
            replaced.add(Json.mapper().writeValueAsString(mark(i)));
        }
        Files.write(file, replaced);
        assertThat(reader.all()).extracting(ReleaseMark::path).hasSize(10).doesNotContain("p0", "p1", "p2", "p3");
        assertThat(reader.epoch()).isEqualTo(other);
        assertThat(problems).isEmpty();
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheRestReads() throws IOException {
        Path file = dir.resolve("releases.jsonl");
        ReleaseLog writer = new ReleaseLog(file, 100, clock, problems::add);
        ReleaseLog.Tx tx = writer.begin();
        tx.put(mark(1));
        tx.commit();
        Files.write(file, "{\"path\":\"p2\",\"inst".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        ReleaseLog other = new ReleaseLog(file, 100, clock, problems::add);
        ReleaseLog.Tx tx2 = other.begin();
        tx2.put(mark(3));
        tx2.commit();
        assertThat(writer.all()).extracting(ReleaseMark::path).containsExactly("p1", "p3");
        assertThat(new ReleaseLog(file, 100, clock, problems::add).all())
                .extracting(ReleaseMark::path)
                .containsExactly("p1", "p3");
    }

    @Test
    void anUnreadableFileIsSetAsideAndReplaced() throws IOException {
        Path file = dir.resolve("releases.jsonl");
        Files.writeString(file, "garbage\n{\"path\":\"p1\"}\n");
        ReleaseLog log = new ReleaseLog(file, 100, clock, problems::add);
        ReleaseLog.Tx tx = log.begin();
        assertThat(tx.remove("p1")).isNull();
        tx.put(mark(2));
        tx.commit();
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("releases.jsonl").contains("set aside");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("releases.jsonl.corrupt-"));
        }
        assertThat(new ReleaseLog(file, 100, clock, problems::add).all())
                .extracting(ReleaseMark::path)
                .containsExactly("p2");
    }

    @Test
    void primingReadsWithoutRepairingAndTheNextTransactionCarriesOn() throws IOException {
        Path file = dir.resolve("releases.jsonl");
        ReleaseLog writer = new ReleaseLog(file, 100, clock, problems::add);
        ReleaseLog.Tx tx = writer.begin();
        tx.put(mark(1));
        tx.commit();
        ReleaseLog primed = new ReleaseLog(file, 100, clock, problems::add);
        primed.prime();
        assertThat(primed.epoch()).isEqualTo(writer.epoch());
        ReleaseLog.Tx more = writer.begin();
        more.put(mark(2));
        more.commit();
        ReleaseLog.Tx next = primed.begin();
        assertThat(next.remove("p2")).isNotNull();
        next.commit();
        assertThat(writer.all()).extracting(ReleaseMark::path).containsExactly("p1");

        Files.writeString(dir.resolve("other.jsonl"), "garbage\n");
        ReleaseLog bad = new ReleaseLog(dir.resolve("other.jsonl"), 100, clock, problems::add);
        bad.prime();
        assertThat(problems).isEmpty();
        assertThat(dir.resolve("other.jsonl")).exists();
    }

    @Test
    void aFailedTransactionLeavesNothingBehindInTheCache() throws IOException {
        Path file = dir.resolve("releases.jsonl");
        ReleaseLog log = new ReleaseLog(file, 100, clock, problems::add);
        ReleaseLog.Tx tx = log.begin();
        tx.put(mark(1));
        tx.commit();
        ReleaseLog.Tx failed = log.begin();
        failed.put(mark(2));
        failed.abandon();
        assertThat(log.all()).extracting(ReleaseMark::path).containsExactly("p1");
    }
}
