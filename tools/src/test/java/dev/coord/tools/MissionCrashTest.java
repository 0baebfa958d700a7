package dev.coord.tools;

import static dev.coord.tools.MissionServiceTest.THAIFA;
import static dev.coord.tools.MissionServiceTest.THAIFA_CLAIMED;
import static dev.coord.tools.MissionServiceTest.THAIFA_ID;
import static dev.coord.tools.MissionServiceTest.ZONE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.Session;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.testing.ServiceFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process that dies between the steps of a mission operation: after the store decided, after the move, after the
 * stamp. The dying process is simulated by an exception thrown from the step hook (nothing after it runs, as after a
 * kill); the next operation of another session must finish the work, and the file must end exactly as if nothing had
 * happened, having been in exactly one folder all along.
 */
class MissionCrashTest {
    static final String THAIFA_DONE = THAIFA_CLAIMED
            .replace("status: ACTIVE ", "status: DONE ")
            .replace(
                    "claimed_by: claude-a     # Description of claiming session\n",
                    "claimed_by: claude-a     # Description of claiming session\ncompleted_at: 2026-11-21T11:00:00+01:00\n")
            .replace(
                    "(\"Thaifa P0 migration\")\n",
                    "(\"Thaifa P0 migration\")\n- 11:00 - **COMPLETED** by claude-a: all moved\n");

    static final String THAIFA_GIVEN_BACK = THAIFA.replace(
            "- 18:02 - **CREATED** by Omar\n",
            "- 18:02 - **CREATED** by Omar\n\n### 2026-11-21\n\n"
                    + "- 11:00 - **CLAIMED** by claude-a (\"Thaifa P0 migration\")\n"
                    + "- 11:00 - **GIVEN BACK** by claude-a: waiting for access\n");

    /** Thrown by the hook: the "process" stops there. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String step) {
            super("simulated crash after " + step);
        }
    }

    @TempDir
    Path tmp;

    ServiceFixture f;
    Path missions;
    Session alice;
    Session bob;
    final List<String> whereSeen = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        f = new ServiceFixture(tmp);
        missions = f.repo.resolve("missions");
        for (String folder : List.of("queue", "active", "done")) {
            Files.createDirectories(missions.resolve(folder));
        }
        Files.writeString(missions.resolve("queue/thaifa.md"), THAIFA);
        alice = f.session("claude-a", 101);
        alice.register("Thaifa P0 migration", null, null);
        bob = f.session("claude-b", 102);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** A service whose session dies right after {@code crashAt} (the {@code nth} time it is reached). */
    MissionCalls dying(Session s, String crashAt, int nth) {
        int[] seen = {0};
        return new MissionCalls(new MissionService(f.store, s, f.repo, missions, ZONE, (step, rec) -> {
            whereSeen.add(step + ": " + folders());
            if (step.equals(crashAt) && ++seen[0] == nth) {
                throw new Crash(step);
            }
        }));
    }

    MissionCalls healthy(Session s) {
        return new MissionCalls(new MissionService(f.store, s, f.repo, missions, ZONE, MissionSettler.Steps.NONE));
    }

    /** The folders that hold thaifa.md now. */
    List<String> folders() {
        List<String> in = new ArrayList<>();
        for (String folder : List.of("queue", "active", "done")) {
            if (Files.exists(missions.resolve(folder).resolve("thaifa.md"))) {
                in.add(folder);
            }
        }
        return in;
    }

    String read(String folder) {
        try {
            return Files.readString(missions.resolve(folder).resolve("thaifa.md"), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MissionClaim record() {
        return f.store.missions().stream()
                .filter(m -> m.missionId().equals(THAIFA_ID))
                .findFirst()
                .orElseThrow();
    }

    void assertOneFolderAtEveryStep() {
        assertThat(whereSeen).isNotEmpty().allSatisfy(seen -> assertThat(seen).matches(".*: \\[(queue|active|done)]"));
    }

    @ParameterizedTest(name = "claim dies after {0}")
    @ValueSource(strings = {"recorded", "moved", "stamped"})
    void anInterruptedClaimIsFinishedByTheNextCallOfAnotherSession(String step) {
        assertThatThrownBy(() -> dying(alice, step, 1).claim(THAIFA_ID, null, false, null))
                .isInstanceOf(Crash.class);
        assertThat(record().settled()).isFalse();
        assertThat(record().claimedBy()).isEqualTo("claude-a");

        // bob asks for any mission: the reconcile comes first, so he cannot get alice's
        var bobs = healthy(bob).claim(null, null, false, null);

        assertThat(bobs.claimed()).isFalse();
        assertThat(folders()).containsExactly("active");
        assertThat(read("active")).isEqualTo(THAIFA_CLAIMED);
        assertThat(record().settled()).isTrue();
        assertOneFolderAtEveryStep();
    }

    @ParameterizedTest(name = "completion dies after {0}")
    @ValueSource(strings = {"recorded", "stamped", "moved"})
    void anInterruptedCompletionIsFinishedByTheNextStatus(String step) {
        healthy(alice).claim(THAIFA_ID, null, false, null);

        assertThatThrownBy(() -> dying(alice, step, 1).finish(THAIFA_ID, "done", "all moved", null, false))
                .isInstanceOf(Crash.class);
        assertThat(record().state()).isEqualTo(MissionState.DONE);

        healthy(bob).overview(f.store.touch(bob.self()));

        assertThat(folders()).containsExactly("done");
        assertThat(read("done")).isEqualTo(THAIFA_DONE);
        assertThat(record().settled()).isTrue();
        assertOneFolderAtEveryStep();
    }

    @ParameterizedTest(name = "give back dies after {0}")
    @ValueSource(strings = {"recorded", "stamped", "moved"})
    void anInterruptedGiveBackIsFinishedAtTheNextStart(String step) {
        healthy(alice).claim(THAIFA_ID, null, false, null);

        assertThatThrownBy(
                        () -> dying(alice, step, 1).finish(THAIFA_ID, "give_back", null, "waiting for access", false))
                .isInstanceOf(Crash.class);

        assertThat(healthy(bob).reconcile()).isEmpty();

        assertThat(folders()).containsExactly("queue");
        assertThat(read("queue")).isEqualTo(THAIFA_GIVEN_BACK);
        assertThat(record().settled()).isTrue();
        assertOneFolderAtEveryStep();
    }

    @Test
    void theClaimerItselfRetryingWithItsRequestIdGetsTheClaimItsLostCallMade() {
        assertThatThrownBy(() -> dying(alice, "moved", 1).claim(null, "req-1", false, null))
                .isInstanceOf(Crash.class);

        var retry = healthy(alice).claim(null, "req-1", false, null);

        assertThat(retry.claimed()).isTrue();
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.mission().path()).isEqualTo("missions/active/thaifa.md");
        assertThat(read("active")).isEqualTo(THAIFA_CLAIMED);
    }

    @Test
    void tempFilesOfAWriterThatDiedAreRemovedAndNothingElse() throws IOException {
        Path orphan = missions.resolve("queue/.thaifa.md.5f3a9c.tmp");
        Files.writeString(orphan, "half a stamp");
        Path notes = missions.resolve("queue/notes.txt");
        Files.writeString(notes, "the user's");

        assertThat(healthy(bob).reconcile()).isEmpty();

        assertThat(orphan).doesNotExist();
        assertThat(notes).hasContent("the user's");
        assertThat(read("queue")).isEqualTo(THAIFA);
    }

    @Test
    void aClaimWhoseFileCannotBeMovedStaysRecordedAndIsRetried() throws IOException {
        assertThatThrownBy(() -> dying(alice, "recorded", 1).claim(THAIFA_ID, null, false, null))
                .isInstanceOf(Crash.class);
        // meanwhile someone puts another file of that name into active/
        String squatter = "# Someone else's\n";
        Files.writeString(missions.resolve("active/thaifa.md"), squatter);

        List<String> problems = healthy(bob).reconcile();

        assertThat(problems)
                .singleElement()
                .satisfies(p -> assertThat(p).contains(THAIFA_ID).contains("is mission thaifa, not " + THAIFA_ID));
        assertThat(read("active")).isEqualTo(squatter);
        assertThat(read("queue")).isEqualTo(THAIFA);
        assertThat(record().settled()).isFalse();

        Files.delete(missions.resolve("active/thaifa.md"));
        assertThat(healthy(bob).reconcile()).isEmpty();
        assertThat(read("active")).isEqualTo(THAIFA_CLAIMED);
    }
}
