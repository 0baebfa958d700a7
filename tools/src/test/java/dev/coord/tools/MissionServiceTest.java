package dev.coord.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.Session;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.Notice;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.testing.ServiceFixture;
import dev.coord.tools.MissionViews.Active;
import dev.coord.tools.MissionViews.Candidate;
import dev.coord.tools.MissionViews.ClaimResult;
import dev.coord.tools.MissionViews.FinishResult;
import dev.coord.tools.MissionViews.Overview;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claiming, completing and giving back missions over a real file store and real mission folders. Expected file
 * contents are written out by hand: every byte that coord does not mean to change stays.
 */
class MissionServiceTest {
    static final ZoneOffset ZONE = ZoneOffset.ofHours(1);

    /** A mission in the seed's format: fenced YAML after the title, template fields, a log and a footer. */
    static final String THAIFA = """
            # Thaifa migration

            ```yaml
            mission_id: 2026-11-20-thaifa
            status: QUEUED   # QUEUED | ACTIVE | DONE
            assigned_to: Claude Code
            created: 2026-11-20
            priority: 1
            depends_on: []
            claimed_at:     # Filled when claimed
            claimed_by:     # Description of claiming session
            ```

            ## Objectives

            - [x] **O1**: Move admin/
            - [ ] **O2**: Move api/

            ## Execution Log

            > Append-only.

            ### 2026-11-20

            - 18:02 - **CREATED** by Omar

            ---

            _Mission v0.0.1_
            """;

    /** THAIFA claimed by claude-a at 2026-11-21T10:00Z, seen at +01:00. */
    static final String THAIFA_CLAIMED = """
            # Thaifa migration

            ```yaml
            mission_id: 2026-11-20-thaifa
            status: ACTIVE   # QUEUED | ACTIVE | DONE
            assigned_to: Claude Code
            created: 2026-11-20
            priority: 1
            depends_on: []
            claimed_at: 2026-11-21T11:00:00+01:00     # Filled when claimed
            claimed_by: claude-a     # Description of claiming session
            ```

            ## Objectives

            - [x] **O1**: Move admin/
            - [ ] **O2**: Move api/

            ## Execution Log

            > Append-only.

            ### 2026-11-20

            - 18:02 - **CREATED** by Omar

            ### 2026-11-21

            - 11:00 - **CLAIMED** by claude-a ("Thaifa P0 migration")

            ---

            _Mission v0.0.1_
            """;

    static final String THAIFA_ID = "2026-11-20-thaifa";

    @TempDir
    Path tmp;

    ServiceFixture f;
    Path missions;
    Session alice;
    Session bob;
    final List<String> stepsSeen = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        f = new ServiceFixture(tmp);
        missions = f.repo.resolve("missions");
        for (String folder : List.of("queue", "active", "done")) {
            Files.createDirectories(missions.resolve(folder));
        }
        alice = session("claude-a", 101, "Thaifa P0 migration");
        bob = session("claude-b", 102, "docs");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    Session session(String id, long pid, String task) {
        Session s = f.session(id, pid);
        s.register(task, null, null);
        return s;
    }

    MissionCalls service(Session s) {
        return service(s, MissionSettler.Steps.NONE);
    }

    MissionCalls service(Session s, MissionSettler.Steps steps) {
        return new MissionCalls(new MissionService(f.store, s, f.repo, missions, ZONE, (step, rec) -> {
            stepsSeen.add(step);
            steps.reached(step, rec);
        }));
    }

    Path write(String folder, String name, String text) {
        try {
            return Files.writeString(missions.resolve(folder).resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small mission in front matter form. */
    static String mission(String id, Integer priority, String created, String dependsOn) {
        return "---\nmission_id: " + id + "\nstatus: QUEUED\n"
                + (priority == null ? "" : "priority: " + priority + "\n")
                + (created == null ? "" : "created: " + created + "\n")
                + (dependsOn == null ? "" : "depends_on: " + dependsOn + "\n")
                + "---\n\n# Mission " + id + "\n\n## Execution Log\n\n### 2026-11-01\n\n- 09:00 - **CREATED**\n";
    }

    String read(String folder, String name) {
        try {
            return Files.readString(missions.resolve(folder).resolve(name), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> files(String folder) {
        try (Stream<Path> s = Files.list(missions.resolve(folder))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MissionClaim record(String id) {
        return f.store.missions().stream()
                .filter(m -> m.missionId().equals(id))
                .findFirst()
                .orElseThrow();
    }

    Overview overview(Session as) {
        return service(as).overview(f.store.touch(as.self()));
    }

    static void assertCode(ThrowingCallable call, ErrorCode code, String... fragments) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CoordException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            for (String fragment : fragments) {
                assertThat(e.getMessage()).contains(fragment);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- claim

    @Test
    void aClaimMovesTheFileToActiveAndChangesOnlyTheClaimFieldsAndTheLog() {
        write("queue", "thaifa.md", THAIFA);

        ClaimResult r = service(alice).claim(THAIFA_ID, null, false, null);

        assertThat(r.claimed()).isTrue();
        assertThat(files("queue")).isEmpty();
        assertThat(files("active")).containsExactly("thaifa.md");
        assertThat(read("active", "thaifa.md")).isEqualTo(THAIFA_CLAIMED);
        assertThat(r.mission()).satisfies(m -> {
            assertThat(m.id()).isEqualTo(THAIFA_ID);
            assertThat(m.path()).isEqualTo("missions/active/thaifa.md");
            assertThat(m.title()).isEqualTo("Thaifa migration");
            assertThat(m.status()).isEqualTo("ACTIVE");
            assertThat(m.priority()).isEqualTo(1);
            assertThat(m.claimedBy()).isEqualTo("claude-a");
            assertThat(m.claimedAt()).isEqualTo("2026-11-21T11:00:00+01:00");
            assertThat(m.objectives())
                    .extracting(o -> o.text() + "=" + o.done())
                    .containsExactly("**O1**: Move admin/=true", "**O2**: Move api/=false");
        });
        assertThat(record(THAIFA_ID).settled()).isTrue();
        assertThat(stepsSeen).containsExactly("recorded", "moved", "stamped");
    }

    @Test
    void withoutAnIdTheHighestPriorityThenTheOldestIsClaimed() {
        write("queue", "a.md", mission("p2-old", 2, "2026-01-01", null));
        write("queue", "b.md", mission("p1-new", 1, "2026-03-01", null));
        write("queue", "c.md", mission("p1-old", 1, "2026-02-01", null));
        write("queue", "d.md", mission("no-priority", null, "2025-01-01", null));
        MissionCalls svc = service(alice);

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(svc.claim(null, null, false, null).mission().id());
        }

        assertThat(order).containsExactly("p1-old", "p1-new", "p2-old", "no-priority");
        ClaimResult none = svc.claim(null, null, false, null);
        assertThat(none.claimed()).isFalse();
        assertThat(none.code()).isEqualTo("NOT_FOUND");
        assertThat(none.reason()).contains("the queue is empty");
    }

    @Test
    void missionsWaitForTheirDependenciesToBeDone() {
        write("queue", "base.md", mission("base", 5, "2026-01-01", "[]"));
        write("queue", "top.md", mission("top", 1, "2026-01-01", "[base]"));
        write("queue", "far.md", mission("far", 1, "2026-01-01", "[base, nowhere]"));
        MissionCalls a = service(alice);

        ClaimResult early = a.claim("top", null, false, null);
        assertThat(early.claimed()).isFalse();
        assertThat(early.code()).isEqualTo("CONFLICT");
        assertThat(early.reason()).contains("base (queued)");
        assertThat(early.next().id()).isEqualTo("base");
        assertThat(overview(alice).blocked()).isEqualTo(2);

        assertThat(a.claim(null, null, false, null).mission().id())
                .as("the priority-1 missions wait, so base comes first")
                .isEqualTo("base");
        assertThat(a.claim("top", null, false, null).reason()).contains("base (active)");
        a.finish("base", "done", "built", null, false);

        assertThat(a.claim(null, null, false, null).mission().id()).isEqualTo("top");
        ClaimResult stuck = a.claim(null, null, false, null);
        assertThat(stuck.claimed()).isFalse();
        assertThat(stuck.code()).isEqualTo("NOT_FOUND");
        assertThat(stuck.reason()).contains("far waits for nowhere (no such mission)");
    }

    @Test
    void theLoserLearnsWhoWonAndWhenAndIsOfferedTheNextCandidate() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        write("queue", "m2.md", mission("m2", 2, "2026-01-01", null));
        service(alice).claim("m1", null, false, null);
        f.clock.advance(Duration.ofMinutes(5));

        ClaimResult lost = service(bob).claim("m1", null, false, null);

        assertThat(lost.claimed()).isFalse();
        assertThat(lost.code()).isEqualTo("ALREADY_CLAIMED");
        assertThat(lost.heldBy()).satisfies(h -> {
            assertThat(h.instanceId()).isEqualTo("claude-a");
            assertThat(h.task()).isEqualTo("Thaifa P0 migration");
            assertThat(h.claimedAt()).isEqualTo("2026-11-21T11:00:00+01:00");
            assertThat(h.alive()).isTrue();
            assertThat(h.stale()).isFalse();
        });
        assertThat(lost.reason()).contains("claimed by claude-a").contains("pick another mission");
        assertThat(lost.next().id()).isEqualTo("m2");
        assertThat(lost.mission().path()).isEqualTo("missions/active/m1.md");
        assertThat(files("active")).containsExactly("m1.md");
    }

    @Test
    void aRetryWithTheSameRequestIdReturnsTheSameClaim() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        write("queue", "m2.md", mission("m2", 2, "2026-01-01", null));
        MissionCalls a = service(alice);

        ClaimResult first = a.claim(null, "req-7", false, null);
        String afterFirst = read("active", "m1.md");
        ClaimResult retry = a.claim(null, "req-7", false, null);

        assertThat(first.replayed()).isNull();
        assertThat(retry.claimed()).isTrue();
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.mission()).isEqualTo(first.mission());
        assertThat(files("queue")).containsExactly("m2.md");
        assertThat(read("active", "m1.md")).as("not stamped twice").isEqualTo(afterFirst);
        assertThat(a.claim(null, "req-8", false, null).mission().id()).isEqualTo("m2");
    }

    @Test
    void claimingYourOwnMissionAgainSaysSo() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        service(alice).claim("m1", null, false, null);
        ClaimResult again = service(alice).claim("m1", null, false, null);
        assertThat(again.claimed()).isTrue();
        assertThat(again.alreadyYours()).isTrue();
    }

    @Test
    void aDoneMissionIsNotClaimed() {
        write("done", "old.md", mission("old", 1, "2026-01-01", null));
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        ClaimResult r = service(alice).claim("old", null, false, null);
        assertThat(r.claimed()).isFalse();
        assertThat(r.code()).isEqualTo("CONFLICT");
        assertThat(r.reason()).contains("is done");
        assertThat(r.next().id()).isEqualTo("m1");
    }

    @Test
    void argumentsAreChecked() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        MissionCalls a = service(alice);
        assertCode(() -> a.claim("nope", null, false, null), ErrorCode.NOT_FOUND, "there is no mission nope");
        assertCode(() -> a.claim("m1", null, true, null), ErrorCode.INVALID_ARGUMENT, "force: true needs a reason");
        assertCode(() -> a.claim(null, null, true, "why"), ErrorCode.INVALID_ARGUMENT, "give its mission_id");
        assertCode(() -> a.claim("m1", "x".repeat(201), false, null), ErrorCode.INVALID_ARGUMENT, "request_id");
        assertCode(() -> a.finish("m1", "maybe", null, null, false), ErrorCode.INVALID_ARGUMENT, "outcome");
        assertCode(() -> a.finish("m1", "give_back", null, null, false), ErrorCode.INVALID_ARGUMENT, "needs a reason");
        assertCode(() -> a.finish(null, "done", null, null, false), ErrorCode.NOT_FOUND, "holds no mission");
        assertCode(() -> a.finish("m1", "done", null, null, false), ErrorCode.NOT_HELD, "is not claimed");
        assertThat(files("queue")).containsExactly("m1.md");
    }

    @Test
    void withoutAMissionsFolderMissionsAreOff() throws IOException {
        try (Stream<Path> all = Files.walk(missions)) {
            all.sorted((x, y) -> y.getNameCount() - x.getNameCount())
                    .forEach(p -> p.toFile().delete());
        }
        MissionCalls a = service(alice);
        assertThat(a.available()).isFalse();
        assertThat(a.overview(f.store.read())).isNull();
        assertThat(a.reconcile()).isEmpty();
        assertCode(() -> a.claim(null, null, false, null), ErrorCode.NOT_FOUND, "COORD_MISSIONS_DIR");
    }

    // ---------------------------------------------------------------------------------------------- finish

    @Test
    void completingMovesTheFileToDoneWithStatusCompletedAtAndTheSummary() {
        write("queue", "thaifa.md", THAIFA);
        MissionCalls a = service(alice);
        a.claim(THAIFA_ID, null, false, null);
        f.clock.advance(Duration.ofHours(3).plusMinutes(7));

        FinishResult r = a.finish(null, "done", "Migrated admin/ and api/;\nall tests green", null, false);

        assertThat(r.outcome()).isEqualTo("done");
        assertThat(r.missionId()).isEqualTo(THAIFA_ID);
        assertThat(r.mission().path()).isEqualTo("missions/done/thaifa.md");
        assertThat(r.mission().status()).isEqualTo("DONE");
        assertThat(r.mission().completedAt()).isEqualTo("2026-11-21T14:07:00+01:00");
        assertThat(files("active")).isEmpty();
        assertThat(files("done")).containsExactly("thaifa.md");
        assertThat(read("done", "thaifa.md"))
                .isEqualTo(THAIFA_CLAIMED
                        .replace("status: ACTIVE ", "status: DONE ")
                        .replace(
                                "claimed_by: claude-a     # Description of claiming session\n",
                                "claimed_by: claude-a     # Description of claiming session\n"
                                        + "completed_at: 2026-11-21T14:07:00+01:00\n")
                        .replace(
                                "(\"Thaifa P0 migration\")\n",
                                "(\"Thaifa P0 migration\")\n- 14:07 - **COMPLETED** by claude-a: Migrated admin/ and"
                                        + " api/; all tests green\n"));
        assertThat(stepsSeen).containsExactly("recorded", "moved", "stamped", "recorded", "stamped", "moved");
        assertThat(record(THAIFA_ID).state()).isEqualTo(MissionState.DONE);
        assertThat(record(THAIFA_ID).settled()).isTrue();

        FinishResult again = a.finish(THAIFA_ID, "done", "again", null, false);
        assertThat(again.replayed()).isTrue();
        assertThat(read("done", "thaifa.md")).doesNotContain("again");
    }

    @Test
    void givingBackReturnsTheFileToTheQueueWithTheReasonAndEmptiesTheClaim() {
        write("queue", "thaifa.md", THAIFA);
        service(alice).claim(THAIFA_ID, null, false, null);
        f.clock.advance(Duration.ofMinutes(30));

        FinishResult r = service(alice).finish(THAIFA_ID, "give_back", null, "blocked: needs DB access", false);

        assertThat(r.outcome()).isEqualTo("give_back");
        assertThat(r.mission().path()).isEqualTo("missions/queue/thaifa.md");
        assertThat(files("active")).isEmpty();
        assertThat(read("queue", "thaifa.md"))
                .isEqualTo(THAIFA.replace(
                        "- 18:02 - **CREATED** by Omar\n",
                        "- 18:02 - **CREATED** by Omar\n\n### 2026-11-21\n\n"
                                + "- 11:00 - **CLAIMED** by claude-a (\"Thaifa P0 migration\")\n"
                                + "- 11:30 - **GIVEN BACK** by claude-a: blocked: needs DB access\n"));

        ClaimResult bobs = service(bob).claim(null, null, false, null);
        assertThat(bobs.mission().id()).isEqualTo(THAIFA_ID);
        assertThat(read("active", "thaifa.md")).contains("claimed_by: claude-b     #");
    }

    @Test
    void onlyTheClaimerMayFinishUnlessForcedWithAReason() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        service(alice).claim("m1", null, false, null);
        MissionCalls b = service(bob);
        String before = read("active", "m1.md");

        assertCode(() -> b.finish("m1", "done", "x", null, false), ErrorCode.NOT_HELD, "claimed by claude-a");
        assertCode(() -> b.finish("m1", "done", "x", null, true), ErrorCode.INVALID_ARGUMENT, "needs a reason");
        assertThat(read("active", "m1.md")).isEqualTo(before);

        FinishResult forced = b.finish("m1", "done", "finished the docs part", "user asked bob to wrap up", true);
        assertThat(forced.finishedFor()).isEqualTo("claude-a");
        assertThat(read("done", "m1.md"))
                .contains("- 11:00 - **COMPLETED** by claude-b for claude-a (user asked bob to wrap up):"
                        + " finished the docs part\n");
        assertThat(f.store.touch(alice.self()).notices()).singleElement().satisfies(n -> assertThat(n.kind())
                .isEqualTo(Notice.Kind.MISSION_TAKEN));
    }

    @Test
    void finishingWouldNeverOverwriteAFileOfTheSameName() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        service(alice).claim("m1", null, false, null);
        String other = mission("other", 1, "2026-01-01", null);
        write("done", "m1.md", other);
        String active = read("active", "m1.md");

        assertCode(() -> service(alice).finish("m1", "done", null, null, false), ErrorCode.CONFLICT, "already exists");

        assertThat(read("done", "m1.md")).isEqualTo(other);
        assertThat(read("active", "m1.md")).isEqualTo(active);
        assertThat(record("m1").state()).isEqualTo(MissionState.ACTIVE);
    }

    @Test
    void claimingWouldNeverOverwriteAFileOfTheSameName() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        String squatter = mission("squatter", 1, "2026-01-01", null);
        write("active", "m1.md", squatter);

        assertCode(() -> service(bob).claim("m1", null, false, null), ErrorCode.CONFLICT, "already exists");
        ClaimResult auto = service(bob).claim(null, null, false, null);
        assertThat(auto.claimed()).isFalse();
        assertThat(auto.reason()).contains("same name in active/");

        assertThat(read("active", "m1.md")).isEqualTo(squatter);
        assertThat(read("queue", "m1.md")).isEqualTo(mission("m1", 1, "2026-01-01", null));
        assertThat(f.store.missions()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------- stranded, stale

    @Test
    void aDeadClaimersMissionIsStrandedAndCanBeTakenOverWithForce() {
        write("queue", "thaifa.md", THAIFA);
        service(alice).claim(THAIFA_ID, null, false, null);
        f.probe.kill(101);
        f.clock.advance(Duration.ofMinutes(90));
        // bob's first call after the jump finds itself silent too (as after a host suspend) and spares the others
        f.store.heartbeat(bob.self());

        Active seen = overview(bob).active().get(0);
        assertThat(seen.claimedBy()).isEqualTo("claude-a");
        assertThat(seen.stranded()).isTrue();
        assertThat(seen.stale()).isNull();
        assertThat(seen.ageS()).isEqualTo(90 * 60);
        assertThat(seen.task()).isEqualTo("Thaifa P0 migration");

        ClaimResult refused = service(bob).claim(THAIFA_ID, null, false, null);
        assertThat(refused.claimed()).isFalse();
        assertThat(refused.heldBy().alive()).isFalse();
        assertThat(refused.reason()).contains("stranded").contains("force: true");

        ClaimResult taken = service(bob).claim(THAIFA_ID, null, true, "claude-a crashed; resuming from the log");

        assertThat(taken.claimed()).isTrue();
        assertThat(taken.takenOverFrom().instanceId()).isEqualTo("claude-a");
        assertThat(taken.takenOverFrom().alive()).isFalse();
        assertThat(read("active", "thaifa.md"))
                .isEqualTo(THAIFA_CLAIMED
                        .replace("2026-11-21T11:00:00+01:00", "2026-11-21T12:30:00+01:00")
                        .replace("claimed_by: claude-a ", "claimed_by: claude-b ")
                        .replace(
                                "(\"Thaifa P0 migration\")\n",
                                "(\"Thaifa P0 migration\")\n- 12:30 - **TAKEN OVER** by claude-b (\"docs\") from"
                                        + " claude-a: claude-a crashed; resuming from the log\n"));
        Active now = overview(bob).active().get(0);
        assertThat(now.claimedBy()).isEqualTo("claude-b");
        assertThat(now.yours()).isTrue();
        assertThat(now.stranded()).isNull();
    }

    @Test
    void aClaimOlderThanADayIsFlaggedStaleAndCanBeTakenOverWithForce() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        service(alice).claim("m1", null, false, null);
        for (int h = 0; h < 25; h++) {
            f.clock.advance(Duration.ofHours(1));
            f.store.heartbeat(alice.self());
            f.store.heartbeat(bob.self());
        }
        Active seen = overview(bob).active().get(0);
        assertThat(seen.stale()).isTrue();
        assertThat(seen.stranded()).isNull();

        ClaimResult plain = service(bob).claim("m1", null, false, null);
        assertThat(plain.claimed()).isFalse();
        assertThat(plain.heldBy().stale()).isTrue();
        assertThat(plain.reason()).contains("more than 24 hours old");
        assertThat(service(bob).claim("m1", null, true, "no activity for a day").claimed())
                .isTrue();
    }

    @Test
    void forceDoesNotTakeOverALiveFreshClaim() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        service(alice).claim("m1", null, false, null);
        ClaimResult r = service(bob).claim("m1", null, true, "I want it");
        assertThat(r.claimed()).isFalse();
        assertThat(r.reason()).contains("this session is alive");
        assertThat(read("active", "m1.md")).contains("claimed_by: claude-a");
    }

    @Test
    void aDeadClaimersMissionCanBeGivenBackWithoutForce() {
        write("queue", "m1.md", mission("m1", 1, "2026-01-01", null));
        service(alice).claim("m1", null, false, null);
        f.probe.kill(101);
        FinishResult r = service(bob).finish("m1", "give_back", null, "its session crashed", false);
        assertThat(r.finishedFor()).isEqualTo("claude-a");
        assertThat(read("queue", "m1.md"))
                .contains("**GIVEN BACK** by claude-b for claude-a: its session crashed")
                .contains("status: QUEUED\n");
    }

    @Test
    void aFileMovedToActiveByHandIsShownAndCanBeAdoptedOrTakenOver() {
        write(
                "active",
                "hand.md",
                mission("hand", 1, "2026-01-01", null)
                        .replace("status: QUEUED", "status: ACTIVE\nclaimed_by: Omar's laptop session"));
        Active seen = overview(alice).active().get(0);
        assertThat(seen.claimedBy()).isEqualTo("Omar's laptop session");
        assertThat(seen.stranded()).isTrue();
        assertThat(seen.note()).contains("claimed outside coord");
        assertCode(() -> service(alice).finish("hand", "done", null, null, false), ErrorCode.NOT_HELD, "outside coord");

        ClaimResult plain = service(alice).claim("hand", null, false, null);
        assertThat(plain.claimed()).isFalse();
        assertThat(plain.heldBy().instanceId()).isEqualTo("Omar's laptop session");
        ClaimResult taken = service(alice).claim("hand", null, true, "Omar asked me to continue it");
        assertThat(taken.claimed()).isTrue();
        assertThat(read("active", "hand.md"))
                .contains("claimed_by: claude-a\n")
                .contains("**TAKEN OVER** by claude-a (\"Thaifa P0 migration\") from Omar's laptop session: Omar"
                        + " asked me to continue it");
        assertThat(service(alice)
                        .finish(null, "done", "ok", null, false)
                        .mission()
                        .path())
                .isEqualTo("missions/done/hand.md");
    }

    // ---------------------------------------------------------------------------------------------- listing

    @Test
    void aMalformedFileIsReportedWithItsPathAndNeverHidesTheOthers() {
        write("queue", "broken.md", "# Broken\n\n```yaml\nmission_id: broken\npriority: high\n```\n");
        write("queue", "unclosed.md", "---\nmission_id: unclosed\n");
        write("queue", "good.md", mission("good", 3, "2026-01-01", null));
        write("queue", "twin.md", mission("good", 1, "2026-01-01", null));

        Overview o = overview(alice);

        assertThat(o.queued()).isEqualTo(4);
        assertThat(o.next()).extracting(c -> c.id()).containsExactly("good");
        assertThat(o.malformed())
                .extracting(m -> m.path() + " | " + m.problem())
                .containsExactly(
                        "missions/queue/broken.md | line 5: priority must be an integer (a lower number is a higher"
                                + " priority), got 'high'",
                        "missions/queue/twin.md | mission_id good is also used by queue/good.md; give each mission"
                                + " its own id",
                        "missions/queue/unclosed.md | line 1: front matter opened by '---' on line 1 is not closed by"
                                + " a '---' line");
        assertCode(
                () -> service(alice).claim("broken", null, false, null),
                ErrorCode.INVALID_ARGUMENT,
                "missions/queue/broken.md cannot be read: line 5");
        assertThat(service(alice).claim(null, null, false, null).mission().id()).isEqualTo("good");
        assertThat(read("active", "good.md")).contains("priority: 3");
    }

    @Test
    void theOverviewCountsAndCapsWhatAModelNeeds() {
        for (int i = 0; i < 8; i++) {
            write("queue", "q" + i + ".md", mission("q" + i, 10 - i, "2026-01-01", null));
        }
        write("done", "d1.md", mission("d1", 1, "2026-01-01", null));
        write("done", "d2.md", "not a mission at all\n");
        service(bob).claim("q0", null, false, null);

        Overview o = overview(alice);

        assertThat(o.root()).isEqualTo("missions");
        assertThat(o.queued()).isEqualTo(7);
        assertThat(o.next()).hasSize(5).extracting(c -> c.id()).containsExactly("q7", "q6", "q5", "q4", "q3");
        assertThat(o.next().get(0).path()).isEqualTo("missions/queue/q7.md");
        assertThat(o.done()).isEqualTo(2);
        assertThat(o.active()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("q0");
            assertThat(a.claimedBy()).isEqualTo("claude-b");
            assertThat(a.task()).isEqualTo("docs");
            assertThat(a.yours()).isNull();
            assertThat(a.stranded()).isNull();
            assertThat(a.ageS()).isZero();
        });
        assertThat(service(bob).mine()).extracting(m -> m.id()).containsExactly("q0");
        assertThat(service(alice).mine()).isEmpty();
    }

    @Test
    void aMissionDoneInOneWorktreeIsNotClaimedAgainInAnother() throws IOException {
        // two worktrees of one repository: their own copies of the missions folder, one shared state
        Path linked = Files.createDirectories(tmp.resolve("linked"));
        Path linkedMissions = linked.resolve("missions");
        for (String folder : List.of("queue", "active", "done")) {
            Files.createDirectories(linkedMissions.resolve(folder));
        }
        write("queue", "m1.md", mission("m1", 1, null, null));
        write("queue", "m2.md", mission("m2", 5, null, null));
        Files.writeString(linkedMissions.resolve("queue/m1.md"), mission("m1", 1, null, null));
        Files.writeString(linkedMissions.resolve("queue/m2.md"), mission("m2", 5, null, null));
        MissionCalls main = service(alice);
        dev.coord.engine.model.Instance base = f.instance("claude-l", 103);
        Session carol = new Session(
                f.store,
                f.settings,
                new dev.coord.engine.model.Instance(
                        base.id(),
                        base.pid(),
                        null,
                        base.host(),
                        base.bootId(),
                        linked.toString(),
                        "feature",
                        null,
                        null,
                        null,
                        "linked work",
                        null,
                        base.startedAt(),
                        base.lastHeartbeat()),
                () -> "feature");
        carol.register("linked work", null, null);
        MissionCalls other = new MissionCalls(
                new MissionService(f.store, carol, linked, linkedMissions, ZONE, MissionSettler.Steps.NONE));

        assertThat(main.claim("m1", null, false, null).claimed()).isTrue();
        main.finish("m1", "done", "shipped", null, false);
        assertThat(files("done")).containsExactly("m1.md");

        ClaimResult named = other.claim("m1", null, false, null);
        assertThat(named.claimed()).isFalse();
        assertThat(named.code()).isEqualTo("CONFLICT");
        assertThat(named.reason())
                .contains("mission m1 was completed by claude-a at ")
                .contains("never claimed again");
        assertThat(other.claim("m1", null, true, "redo it").claimed())
                .as("not even with force")
                .isFalse();
        ClaimResult best = other.claim(null, null, false, null);
        assertThat(best.claimed()).isTrue();
        assertThat(best.mission().id())
                .as("the best claimable mission skips the done one")
                .isEqualTo("m2");
        // this worktree's copy is left where it is, and the difference is reported
        assertThat(linkedMissions.resolve("queue/m1.md")).exists();
        Overview seen = other.overview(f.store.touch(carol.self()));
        assertThat(seen.differences()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("missions/queue/m1.md");
            assertThat(d.problem()).contains("was completed by claude-a");
        });
        assertThat(seen.next()).extracting(Candidate::id).doesNotContain("m1");
        // and the main worktree sees no mission claimed twice, nothing "moved by hand"
        Overview home = overview(alice);
        assertThat(home.active()).extracting(Active::id).containsExactly("m2");
        assertThat(home.active().get(0).note())
                .isEqualTo("claimed in the worktree " + linked + ", where its file is in active/; this worktree's"
                        + " copy is in queue/ until that branch is merged here");
        assertThat(record("m1").state()).isEqualTo(MissionState.DONE);
    }
}
