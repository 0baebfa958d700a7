package dev.coord.engine.store.file;

import static dev.coord.engine.testing.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.ClaimOutcome;
import dev.coord.engine.model.ClaimRequest;
import dev.coord.engine.model.FinishRequest;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionRef;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.Notice;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged {@code missions.json} is set aside and rebuilt from the audit log: no claim is lost, none is re-won. */
class MissionRecordsRebuildTest {
    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
    private final FakeProbe probe = new FakeProbe();
    private final List<FileStore> opened = new ArrayList<>();

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
    void everyStateFileStillParses() throws IOException {
        opened.forEach(FileStore::close);
        StateFiles.assertAllParse(dir, 0);
    }

    private static ClaimRequest claim(String id, String requestId) {
        return new ClaimRequest(List.of(MissionRef.queued(id, id + ".md", 0)), requestId, false, null);
    }

    private List<Path> setAside() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("missions.json.corrupt-"))
                    .toList();
        }
    }

    private static List<Object> essence(MissionClaim c) {
        return List.of(
                c.missionId(),
                c.file(),
                c.state(),
                c.claimedBy(),
                c.claimedAt(),
                String.valueOf(c.requestId()),
                c.rev(),
                c.changedBy(),
                c.changedAt());
    }

    @Test
    void claimsAndFinishesComeBackAfterADamagedFileAndTheRebuildRunsOnce() throws IOException {
        FileStore before = open();
        Instance a = instance("claude-a", 101, clock.instant());
        Instance b = instance("claude-b", 102, clock.instant());
        before.register(a);
        before.register(b);
        assertThat(before.claimMission(a, claim("m1", "req-a1")).result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        clock.advance(Duration.ofMinutes(1));
        assertThat(before.claimMission(b, claim("m2", "req-b2")).result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        clock.advance(Duration.ofMinutes(1));
        before.finishMission(b, new FinishRequest("m2", MissionState.DONE, "all done", null, false));
        assertThat(before.claimMission(b, claim("m3", null)).result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        before.finishMission(b, new FinishRequest("m3", MissionState.QUEUED, null, "not now", false));
        List<List<Object>> was = before.missions().stream()
                .map(MissionRecordsRebuildTest::essence)
                .toList();
        long maxRev =
                before.missions().stream().mapToLong(MissionClaim::rev).max().orElseThrow();
        before.close();
        clock.advance(Duration.ofMinutes(5));
        byte[] valid = Files.readAllBytes(dir.resolve("missions.json"));
        Files.write(dir.resolve("missions.json"), java.util.Arrays.copyOf(valid, valid.length / 2));

        FileStore store = open();

        assertThat(setAside()).hasSize(1);
        assertThat(store.problems()).singleElement().asString().contains("missions.json", "rebuilt");
        assertThat(store.missions().stream()
                        .map(MissionRecordsRebuildTest::essence)
                        .toList())
                .containsExactlyInAnyOrderElementsOf(was);
        // active stays active: its claimer keeps it, nobody else wins it
        assertThat(store.claimMission(b, claim("m1", null)).result()).isEqualTo(ClaimOutcome.Result.TAKEN);
        // the claimer is told, once, on its next call
        assertThat(store.touch(a).notices())
                .extracting(Notice::kind, Notice::path)
                .containsExactly(tuple(Notice.Kind.MISSION_RESTORED, "m1"));
        assertThat(store.touch(a).notices()).isEmpty();
        assertThat(store.claimMission(a, claim("m1", null)).result()).isEqualTo(ClaimOutcome.Result.ALREADY_YOURS);
        // a retry of the lost reply returns the same claim
        ClaimOutcome retry = store.claimMission(a, claim("m1", "req-a1"));
        assertThat(retry.result()).isEqualTo(ClaimOutcome.Result.REPLAYED);
        assertThat(essence(retry.claim())).isEqualTo(was.get(0));
        ClaimOutcome doneRetry = store.claimMission(b, claim("m2", "req-b2"));
        assertThat(doneRetry.result()).isEqualTo(ClaimOutcome.Result.REPLAYED);
        assertThat(doneRetry.claim().state()).isEqualTo(MissionState.DONE);
        // done stays done: nobody can claim it again
        assertThat(store.claimMission(a, claim("m2", null)).result()).isEqualTo(ClaimOutcome.Result.DONE);
        // a given-back mission is claimable at its revision, and revisions keep growing
        MissionClaim queued = store.missions().stream()
                .filter(c -> c.missionId().equals("m3"))
                .findFirst()
                .orElseThrow();
        assertThat(queued.state()).isEqualTo(MissionState.QUEUED);
        ClaimOutcome m3 = store.claimMission(
                a, new ClaimRequest(List.of(MissionRef.queued("m3", "m3.md", queued.rev())), null, false, null));
        assertThat(m3.result()).isEqualTo(ClaimOutcome.Result.CLAIMED);
        assertThat(m3.claim().rev()).isGreaterThan(maxRev);
        // the rebuild ran once: another process opening the store finds a good file
        FileStore other = open();
        assertThat(setAside()).hasSize(1);
        assertThat(other.missions()).hasSize(3);
        assertThat(other.touch(b).notices()).isEmpty();
    }

    @Test
    void aGarbageFileFoundByARunningStoreIsSetAsideAndRebuiltAndTheClaimerTold() throws IOException {
        FileStore store = open();
        Instance a = instance("claude-a", 101, clock.instant());
        Instance b = instance("claude-b", 102, clock.instant());
        store.register(a);
        store.register(b);
        MissionClaim claimed = store.claimMission(a, claim("m1", "r1")).claim();
        Files.writeString(dir.resolve("missions.json"), "\u0000garbage{");

        ClaimOutcome other = store.claimMission(b, claim("m1", null));

        assertThat(other.result()).isEqualTo(ClaimOutcome.Result.TAKEN);
        assertThat(setAside()).hasSize(1);
        assertThat(store.problems()).singleElement().asString().contains("missions.json", "rebuilt");
        assertThat(store.missions()).singleElement().satisfies(c -> assertThat(essence(c))
                .isEqualTo(essence(claimed)));
        // the notice written by the rebuild survives the transaction that ran it
        assertThat(store.touch(a).notices())
                .extracting(Notice::kind, Notice::path)
                .containsExactly(tuple(Notice.Kind.MISSION_RESTORED, "m1"));
        assertThat(store.touch(b).notices()).isEmpty();
        store.claimMission(b, claim("m9", null));
        assertThat(setAside()).as("rebuilt once").hasSize(1);
    }

    @Test
    void aHandedOverMissionComesBackWithItsReceiverAfterADamagedFile() throws IOException {
        FileStore store = open();
        Instance a = instance("claude-a", 101, clock.instant());
        Instance b = instance("claude-b", 102, clock.instant());
        store.register(a);
        store.register(b);
        store.claimMission(a, claim("m1", "r1"));
        clock.advance(Duration.ofMinutes(1));
        store.sendMessage(
                a,
                new dev.coord.engine.model.MessageDraft(
                        "claude-b",
                        dev.coord.engine.model.Message.Kind.HANDOVER,
                        null,
                        "yours",
                        null,
                        List.of(),
                        "m1"));
        MissionClaim handed = store.missions().get(0);
        assertThat(handed.claimedBy()).isEqualTo("claude-b");
        Files.writeString(dir.resolve("missions.json"), "\u0000garbage{");

        assertThat(store.claimMission(a, claim("m1", null)).result()).isEqualTo(ClaimOutcome.Result.TAKEN);

        assertThat(setAside()).hasSize(1);
        assertThat(store.missions()).singleElement().satisfies(c -> {
            assertThat(essence(c)).isEqualTo(essence(handed));
            assertThat(c.takenFrom()).isEqualTo("claude-a");
        });
    }
}
