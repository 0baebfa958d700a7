package dev.coord.engine.store.file;

import static dev.coord.engine.testing.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.model.ClaimOutcome;
import dev.coord.engine.model.ClaimRequest;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.MissionRef;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Snapshot;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the file store does with state files damaged by crashes, other programs or other versions. */
class FileStoreRecoveryTest {
    private static final Duration TTL = Duration.ofMinutes(30);
    private static final Duration STALE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
    private final FakeProbe probe = new FakeProbe();
    private final List<FileStore> opened = new ArrayList<>();
    /** Lines of decisions.jsonl that a scenario damaged on purpose and that are expected to stay unreadable. */
    private int skippedDecisionLines;

    private FileStore open() {
        return open(FileStoreOptions.defaults());
    }

    private FileStore open(FileStoreOptions options) {
        return open(
                new LivenessJudge(STALE, new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe), options);
    }

    private FileStore open(LivenessJudge judge, FileStoreOptions options) {
        FileStore s = FileStore.open(dir, clock, judge, options);
        opened.add(s);
        return s;
    }

    @AfterEach
    void everyStateFileStillParses() throws IOException {
        opened.forEach(FileStore::close);
        StateFiles.assertAllParse(dir, skippedDecisionLines);
    }

    private static List<LockRequest> ex(String path) {
        return List.of(new LockRequest(path, LockMode.EXCLUSIVE, null));
    }

    private Path file(String name) {
        return dir.resolve(name);
    }

    private List<Path> setAside(String name) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(name + ".corrupt-"))
                    .toList();
        }
    }

    // ---------------------------------------------------------------------------------------------- registry.json

    static Stream<Arguments> badRegistries() {
        return Stream.of(
                Arguments.of("truncated", (UnaryOperator<byte[]>) valid -> Arrays.copyOf(valid, valid.length / 2)),
                Arguments.of("empty", bytes("")),
                Arguments.of("not JSON", bytes("registry? what registry\n")),
                Arguments.of("JSON null", bytes("null")),
                Arguments.of("an array", bytes("[1, 2, 3]")),
                Arguments.of("instances of the wrong type", bytes("{\"schemaVersion\": 1, \"instances\": \"all\"}")),
                Arguments.of("schemaVersion of the wrong type", bytes("{\"schemaVersion\": \"one\"}")),
                Arguments.of(
                        "an instance without its required fields",
                        bytes("{\"schemaVersion\": 1, \"instances\": [{\"pid\": 7}]}")),
                Arguments.of("a null instance", bytes("{\"schemaVersion\": 1, \"instances\": [null]}")),
                Arguments.of(
                        "an unknown schemaVersion",
                        bytes("{\"schemaVersion\": 99, \"instances\": [], \"future\": 1}")));
    }

    private static UnaryOperator<byte[]> bytes(String content) {
        return valid -> content.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "registry.json {0}")
    @MethodSource("badRegistries")
    void badRegistryIsSetAsideAndTheStoreWorks(String what, UnaryOperator<byte[]> damage) throws IOException {
        FileStore before = open();
        Instance old = instance("claude-old", 101, clock.instant());
        before.register(old);
        assertThat(before.acquire(old, ex("src/A.java"), TTL, null, null).acquired())
                .isTrue();
        before.close();
        byte[] bad = damage.apply(Files.readAllBytes(file("registry.json")));
        Files.write(file("registry.json"), bad);

        FileStore store = open();

        List<Path> aside = setAside("registry.json");
        assertThat(aside).singleElement().satisfies(p -> assertThat(Files.readAllBytes(p))
                .isEqualTo(bad));
        assertThat(store.problems())
                .singleElement()
                .asString()
                .contains("registry.json", aside.get(0).getFileName().toString());
        // rebuilt from the audit log: the old holder is still registered and keeps its lock
        Instance fresh = instance("claude-new", 102, clock.instant());
        store.register(fresh);
        assertThat(store.acquire(fresh, ex("src/A.java"), TTL, null, null).acquired())
                .isFalse();
        assertThat(store.read().instances()).extracting(Instance::id).containsExactly("claude-old", "claude-new");
        assertThat(store.touch(old).notices()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Notice.Kind.RESTORED);
            assertThat(n.path()).isNull();
        });
        // and a new, valid registry.json was written
        assertThat(Files.readString(file("registry.json"))).contains("claude-new", "claude-old");
        assertThat(open().read().instances()).extracting(Instance::id).containsExactly("claude-old", "claude-new");
        // set aside once, not again by later reads
        assertThat(setAside("registry.json")).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------------- locks.json

    @Test
    void corruptLockTableIsRebuiltFromTheAuditLogAndTokensKeepGrowing() throws IOException {
        FileStore before = open();
        Instance a = instance("claude-a", 101, clock.instant());
        Instance c = instance("claude-c", 103, clock.instant());
        before.register(a);
        before.register(c);
        Map<String, Long> tokens = new java.util.LinkedHashMap<>();
        long max = 0;
        for (String path : List.of("a", "b", "c", "d")) {
            long t =
                    before.acquire(a, ex(path), TTL, null, null).grants().get(0).token();
            tokens.put(path, t);
            max = Math.max(max, t);
        }
        before.release(a, List.of("c", "d"), false, null, Map.of());
        // a mode change takes a new token and drops the old grant without a release event
        long shared = before.acquire(a, List.of(new LockRequest("b", LockMode.SHARED, null)), TTL, null, null)
                .grants()
                .get(0)
                .token();
        tokens.put("b", shared);
        max = shared;
        // a dead holder's lock is voided, and stays voided
        before.acquire(c, ex("gone"), TTL, null, null);
        probe.kill(103);
        before.touch(a);
        before.close();
        clock.advance(Duration.ofSeconds(20));
        Files.writeString(file("locks.json"), "{\"schemaVersion\": 1, \"next_token\": 5, \"locks\": [");

        FileStore store = open();

        assertThat(setAside("locks.json")).hasSize(1);
        assertThat(store.problems()).singleElement().asString().contains("locks.json", "rebuilt");
        assertThat(store.read().locks())
                .extracting(LockRecord::path, LockRecord::holder, LockRecord::token, LockRecord::mode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", "claude-a", tokens.get("a"), LockMode.EXCLUSIVE),
                        org.assertj.core.groups.Tuple.tuple("b", "claude-a", tokens.get("b"), LockMode.SHARED));
        // the restored leases run from the rebuild: none is lost to the missing renewals
        assertThat(store.read().locks()).allSatisfy(l -> assertThat(l.expiresAt())
                .isEqualTo(clock.instant().plus(TTL)));
        Instance b = instance("claude-b", 102, clock.instant());
        store.register(b);
        assertThat(store.acquire(b, ex("a"), TTL, null, null).acquired())
                .as("a's lock is kept")
                .isFalse();
        long after = store.acquire(b, ex("x"), TTL, null, null).grants().get(0).token();
        assertThat(after).isGreaterThan(max);
        // the holder is told, once, and its release works
        assertThat(store.touch(a).notices())
                .extracting(Notice::kind, Notice::path, Notice::token)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Notice.Kind.RESTORED, "a", tokens.get("a")),
                        org.assertj.core.groups.Tuple.tuple(Notice.Kind.RESTORED, "b", tokens.get("b")));
        assertThat(store.touch(a).notices()).isEmpty();
        assertThat(store.release(a, List.of("a"), false, null, Map.of()).released())
                .hasSize(1);
        long next = store.acquire(a, ex("e"), TTL, null, null).grants().get(0).token();
        assertThat(next).isGreaterThan(after);
        assertThat(Files.readString(file("locks.json"))).contains("\"next_token\" : " + (next + 1));
    }

    @Test
    void setAsideFilesAreReportedByEveryProcessUntilRemoved() throws IOException {
        FileStore first = open();
        first.register(instance("claude-a", 101, clock.instant()));
        Files.writeString(file("locks.json"), "garbage");
        first.touch(instance("claude-a", 101, clock.instant()));
        assertThat(first.problems()).singleElement().asString().contains("not valid JSON");
        // another process (a new store object) that did not set it aside reports it too, as often as asked
        FileStore second = open();
        String name = setAside("locks.json").get(0).getFileName().toString();
        assertThat(second.problems()).singleElement().asString().contains(name);
        assertThat(second.problems()).singleElement().asString().contains(name);
        // a read-only store reports it and changes nothing
        FileStore readOnly = FileStore.openReadOnly(
                dir, clock, new LivenessJudge(STALE, new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe));
        assertThat(readOnly.problems()).singleElement().asString().contains(name);
        readOnly.close();
        assertThat(second.removeSetAside()).isEqualTo(1);
        assertThat(first.problems()).isEmpty();
        assertThat(second.problems()).isEmpty();
    }

    @Test
    void aReadOnlyStoreNeverRenamesOrRewritesAnything() throws IOException {
        FileStore writer = open();
        Instance a = instance("claude-a", 101, clock.instant());
        writer.register(a);
        writer.acquire(a, ex("a"), TTL, null, null);
        writer.close();
        opened.remove(writer);
        Files.writeString(file("locks.json"), "garbage");
        Files.writeString(file(".registry.json.0123.tmp"), "left by a crash");
        Map<String, String> before = listing();

        FileStore readOnly = FileStore.openReadOnly(
                dir, clock, new LivenessJudge(STALE, new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe));
        assertThat(readOnly.read().instances()).extracting(Instance::id).containsExactly("claude-a");
        assertThat(readOnly.read().locks()).isEmpty();
        assertThat(readOnly.missions()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> readOnly.touch(a))
                .isInstanceOf(dev.coord.engine.CoordException.class)
                .hasMessageContaining("read-only");
        readOnly.close();

        assertThat(listing()).isEqualTo(before);
        Files.delete(file(".registry.json.0123.tmp"));
        Files.writeString(file("locks.json"), "{\"schemaVersion\": 1, \"next_token\": 9, \"locks\": []}");
    }

    private Map<String, String> listing() throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                out.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    @Test
    void tokensAreRecoveredFromTheRotatedAuditLogToo() throws IOException {
        // rotate before every append: the newest token lands in audit.jsonl.1 once anything else is logged
        FileStoreOptions rotating = new FileStoreOptions(false, 1);
        FileStore before = open(rotating);
        Instance a = instance("claude-a", 101, clock.instant());
        before.register(a);
        before.acquire(a, ex("a"), TTL, null, null);
        long max = before.acquire(a, ex("b"), TTL, null, null).grants().get(0).token();
        before.register(instance("claude-b", 102, clock.instant()));
        before.close();
        assertThat(Files.readString(file("audit.jsonl.1"))).contains("\"token\":" + max);
        assertThat(Files.readString(file("audit.jsonl"))).doesNotContain("\"token\"");
        Files.writeString(file("locks.json"), "garbage");

        FileStore store = open(rotating);

        assertThat(store.acquire(a, ex("z"), TTL, null, null).grants().get(0).token())
                .isGreaterThan(max);
    }

    @Test
    void lockTableWithAnUnknownSchemaVersionIsSetAside() throws IOException {
        Files.writeString(file("locks.json"), "{\"schemaVersion\": 99, \"next_token\": 1000, \"locks\": []}");

        FileStore store = open();

        assertThat(setAside("locks.json")).hasSize(1);
        assertThat(store.problems()).singleElement().asString().contains("schemaVersion 99");
        Instance a = instance("claude-a", 101, clock.instant());
        assertThat(store.acquire(a, ex("x"), TTL, null, null).acquired()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------- missions.json

    @Test
    void corruptMissionRecordsAreSetAsideAndRebuiltSoTheClaimIsKept() throws IOException {
        FileStore before = open();
        Instance a = instance("claude-a", 101, clock.instant());
        before.register(a);
        before.claimMission(a, new ClaimRequest(List.of(MissionRef.queued("m1", "m1.md", 0)), null, false, null));
        before.close();
        byte[] valid = Files.readAllBytes(file("missions.json"));
        Files.write(file("missions.json"), Arrays.copyOf(valid, valid.length / 2));

        FileStore store = open();

        assertThat(setAside("missions.json")).hasSize(1);
        assertThat(store.problems()).singleElement().asString().contains("missions.json", "rebuilt");
        Instance b = instance("claude-b", 102, clock.instant());
        ClaimOutcome again = store.claimMission(
                b, new ClaimRequest(List.of(MissionRef.queued("m1", "m1.md", 0)), null, false, null));
        assertThat(again.result()).isEqualTo(ClaimOutcome.Result.TAKEN);
        assertThat(store.missions()).singleElement().satisfies(m -> assertThat(m.claimedBy())
                .isEqualTo("claude-a"));
    }

    // ------------------------------------------------------------------------------------------------- temp files

    @Test
    void orphanTempFilesAreDeletedAtOpenAndNothingElse() throws IOException {
        open().register(instance("claude-a", 101, clock.instant()));
        List<String> orphans =
                List.of(".locks.json.123abc.tmp", ".registry.json.7f3e9a0c55d2e1b4.tmp", ".decisions.jsonl.1.tmp");
        List<String> keep = List.of(
                "locks.json.tmp",
                "notes.txt",
                ".hidden",
                ".locks.json.123abc.tmp.bak",
                "registry.json.corrupt-20261121T095959.000Z");
        for (String name : orphans) {
            Files.writeString(file(name), "{\"half\": ");
        }
        for (String name : keep) {
            Files.writeString(file(name), "keep " + name);
        }

        FileStore store = open();

        for (String name : orphans) {
            assertThat(file(name)).as(name).doesNotExist();
        }
        for (String name : keep) {
            assertThat(file(name)).as(name).hasContent("keep " + name);
        }
        assertThat(store.read().instances()).extracting(Instance::id).containsExactly("claude-a");
        // a file set aside earlier is still reported while it lies there
        assertThat(store.problems())
                .singleElement()
                .asString()
                .startsWith("registry.json.corrupt-20261121T095959.000Z is a damaged state file set aside");
    }

    // -------------------------------------------------------------------------------------------- decisions.jsonl

    private static DecisionDraft draft(String title) {
        return new DecisionDraft("api", title, "because", null, List.of(), null);
    }

    @Test
    void tornLastDecisionIsSkippedAndTheNextAppendStartsOnANewLine() throws IOException {
        FileStore before = open();
        Instance a = instance("claude-a", 101, clock.instant());
        Decision d1 = before.appendDecision(a, draft("one"));
        Decision d2 = before.appendDecision(a, draft("two"));
        before.close();
        // a crash in the middle of the third append: half a record, no newline
        String torn = "{\"schemaVersion\":1,\"id\":\"DEC-20261121-0003\",\"category\":\"api\",\"tit";
        Files.writeString(file("decisions.jsonl"), torn, StandardOpenOption.APPEND);
        skippedDecisionLines = 1;

        FileStore store = open();

        assertThat(store.decisions(new DecisionQuery(null, null, null, 10)))
                .extracting(Decision::id)
                .containsExactly(d2.id(), d1.id());
        Decision d3 = store.appendDecision(a, draft("three"));
        assertThat(d3.id()).isEqualTo("DEC-20261121-0003");
        List<String> lines = Files.readAllLines(file("decisions.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).isEqualTo(torn);
        assertThat(lines.get(3)).startsWith("{").contains("\"id\":\"DEC-20261121-0003\"", "\"three\"");
        assertThat(store.decision(d3.id())).get().extracting(Decision::title).isEqualTo("three");
        // another store object (another process) reads the same
        FileStore other = open();
        assertThat(other.decisions(new DecisionQuery(null, null, null, 10)))
                .extracting(Decision::title)
                .containsExactly("three", "two", "one");
        assertThat(other.appendDecision(a, draft("four")).id()).isEqualTo("DEC-20261121-0004");
    }

    @Test
    void garbageLinesInTheMiddleAreSkippedWithoutLosingTheOthers() throws IOException {
        FileStore before = open();
        Instance a = instance("claude-a", 101, clock.instant());
        before.appendDecision(a, draft("one"));
        before.close();
        List<String> garbage = List.of(
                "not json at all",
                "{\"schemaVersion\":1}",
                "42",
                "[\"an\", \"array\"]",
                "{\"schemaVersion\":1,\"id\":\"DEC-20261121-0002\",\"category\":\"api\"",
                "\u0000\u0000\u0000\u0000");
        Files.writeString(file("decisions.jsonl"), String.join("\n", garbage) + "\n", StandardOpenOption.APPEND);
        skippedDecisionLines = garbage.size();
        FileStore writer = open();
        writer.appendDecision(a, draft("two"));
        Files.writeString(file("decisions.jsonl"), "}}}{{{\n", StandardOpenOption.APPEND);
        skippedDecisionLines++;
        Decision three = writer.appendDecision(a, draft("three"));

        FileStore store = open();

        assertThat(three.id()).isEqualTo("DEC-20261121-0003");
        assertThat(store.decisions(new DecisionQuery(null, null, null, 10)))
                .extracting(Decision::id, Decision::title)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("DEC-20261121-0003", "three"),
                        org.assertj.core.groups.Tuple.tuple("DEC-20261121-0002", "two"),
                        org.assertj.core.groups.Tuple.tuple("DEC-20261121-0001", "one"));
    }

    // -------------------------------------------------------------------------------------------------- liveness

    @Test
    void instanceWhosePidNowBelongsToAnotherProgramIsDead() {
        ProcessHandle me = ProcessHandle.current();
        Instant myStart = me.info().startInstant().orElse(null);
        assumeThat(myStart).as("the OS reports process start times").isNotNull();
        HostIdentity thisHost = new HostIdentity("this-host", "boot-now", me.pid(), myStart);
        // registered by a process that had this pid an hour before this JVM started
        Instance ghost = onThisHost("claude-ghost", me.pid(), myStart.minus(Duration.ofHours(1)));
        FileStore before = open(new LivenessJudge(STALE, thisHost, probe), FileStoreOptions.defaults());
        before.register(ghost);
        assertThat(before.acquire(ghost, ex("src/A.java"), TTL, null, null).acquired())
                .isTrue();
        before.close();

        FileStore store = open(new LivenessJudge(STALE, thisHost, ProcessProbe.system()), FileStoreOptions.defaults());

        assertPidOwnerIsDeadAndItsLocksVoid(store, ghost, onThisHost("claude-me", me.pid(), myStart));
    }

    @Test
    void instanceWhoseProcessExitedIsDead() throws Exception {
        ProcessHandle me = ProcessHandle.current();
        HostIdentity thisHost = new HostIdentity(
                "this-host", "boot-now", me.pid(), me.info().startInstant().orElse(null));
        Process child = new ProcessBuilder("true").start();
        Instant childStart = child.info().startInstant().orElse(null);
        assertThat(child.waitFor()).isZero();
        Instance ghost = onThisHost("claude-ghost", child.pid(), childStart);
        FileStore before = open(new LivenessJudge(STALE, thisHost, probe), FileStoreOptions.defaults());
        before.register(ghost);
        assertThat(before.acquire(ghost, ex("src/A.java"), TTL, null, null).acquired())
                .isTrue();
        before.close();

        FileStore store = open(new LivenessJudge(STALE, thisHost, ProcessProbe.system()), FileStoreOptions.defaults());

        assertPidOwnerIsDeadAndItsLocksVoid(store, ghost, onThisHost("claude-me", me.pid(), thisHost.processStart()));
    }

    private void assertPidOwnerIsDeadAndItsLocksVoid(FileStore store, Instance ghost, Instance live) {
        assertThat(store.read().locks()).isEmpty();
        assertThat(store.read().instances()).extracting(Instance::id).doesNotContain(ghost.id());
        store.register(live);
        assertThat(store.acquire(live, ex("src/A.java"), TTL, null, null).acquired())
                .isTrue();
        assertThat(store.read().instances()).extracting(Instance::id).containsExactly(live.id());
        List<LockRecord> locks = store.read().locks();
        assertThat(locks).extracting(LockRecord::holder).containsExactly(live.id());
        // no clock moved: it died for its process, not for silence
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
    }

    private Instance onThisHost(String id, long pid, Instant processStart) {
        Instant now = clock.instant();
        return new Instance(
                id,
                pid,
                processStart,
                "this-host",
                "boot-now",
                "/repo",
                "main",
                null,
                null,
                null,
                null,
                null,
                now,
                now);
    }

    @Test
    void deadInstanceLearnsWhyWhenItComesBack() {
        FileStore store = open();
        Instance a = instance("claude-a", 101, clock.instant());
        store.register(a);
        store.acquire(a, ex("f"), TTL, null, null);
        probe.kill(101);
        Instance b = instance("claude-b", 102, clock.instant());
        assertThat(store.acquire(b, ex("f"), TTL, null, null).acquired()).isTrue();

        Snapshot back = store.touch(a);

        assertThat(back.notices()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Notice.Kind.DECLARED_DEAD);
            assertThat(n.path()).isEqualTo("f");
            assertThat(n.reason()).isEqualTo("process 101 exited");
        });
    }
}
