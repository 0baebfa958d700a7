package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.Session;
import dev.coord.engine.git.Overlap;
import dev.coord.engine.git.RadarResult;
import dev.coord.engine.json.Json;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.service.DecisionService;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.testing.ServiceFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class StatusReportsTest {
    private static final Duration TTL = Duration.ofMinutes(30);

    @TempDir
    Path tmp;

    private ServiceFixture f;
    private Session mine;
    private StatusReports status;
    private List<String> problems = List.of();

    @BeforeEach
    void setUp() {
        f = new ServiceFixture(tmp);
        mine = f.session("claude-20261121-100000-0000abcd", 100);
        status = new StatusReports(f.store, mine, f.paths, () -> problems);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** Registers {@code count} other sessions with realistic ids, each on its own pid. */
    private List<Instance> others(int count) {
        List<Instance> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instance other = f.instance(String.format("claude-20261121-100000-%08x", 0x1000 + i), 1000 + i);
            f.store.register(other);
            out.add(other);
            f.clock.advance(Duration.ofMillis(10));
        }
        return out;
    }

    /** Locks {@code count} files for the instance in one call. */
    private void lockFiles(Instance who, String prefix, int count) {
        List<LockRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(new LockRequest(
                    String.format("src/main/java/dev/app/%s/File%04d.java", prefix, i), LockMode.EXCLUSIVE, null));
        }
        assertThat(f.store.acquire(who, requests, TTL, null, null).acquired()).isTrue();
    }

    private static JsonNode json(StatusReport report) {
        return Json.mapper().valueToTree(report);
    }

    @Test
    void listsAreCappedAndTheRestIsCounted() {
        List<Instance> others = others(25);
        for (int i = 0; i < 20; i++) {
            lockFiles(others.get(i), "m" + i, 2);
        }
        LockCalls me = new LockCalls(f.locks(mine));
        me.acquire(List.of("mine/A.java"), null, null, null, null);

        StatusReport report = status.status(null);

        assertThat(report.instances()).hasSize(StatusReports.MAX_INSTANCES);
        assertThat(report.moreInstances()).isEqualTo(25 - StatusReports.MAX_INSTANCES);
        // the overview names each session's first paths instead of listing every lock
        assertThat(report.locks()).isEmpty();
        assertThat(report.moreLocks()).isZero();
        assertThat(report.instances()).allSatisfy(i -> {
            assertThat(i.locks()).isEqualTo(2);
            assertThat(i.holds()).hasSize(2).allMatch(p -> p.startsWith("src/main/java/dev/app/m"));
        });
        assertThat(report.instances())
                .extracting(StatusReport.InstanceLine::instanceId)
                .doesNotContain(mine.id());
        assertThat(report.you().locks()).extracting(StatusReport.OwnLock::path).containsExactly("mine/A.java");
        assertThat(report.you().expiresAt()).isNotNull();
        // the oldest first
        assertThat(report.instances().get(0).instanceId())
                .isEqualTo(others.get(0).id());
        JsonNode node = json(report);
        assertThat(node.get("more_instances").asInt()).isEqualTo(25 - StatusReports.MAX_INSTANCES);
        assertThat(node.has("more_locks")).isFalse();
        assertThat(node.get("instances")).hasSize(StatusReports.MAX_INSTANCES);
        assertThat(node.has("locks")).isFalse();
    }

    @Test
    void belowTheCapsNothingIsCounted() {
        List<Instance> others = others(3);
        lockFiles(others.get(0), "m", 2);

        JsonNode node = json(status.status(null));

        assertThat(node.get("instances")).hasSize(3);
        assertThat(node.get("instances").get(0).get("holds")).hasSize(2);
        assertThat(node.has("more_instances")).isFalse();
        assertThat(node.has("more_locks")).isFalse();
        assertThat(node.has("waiting")).isFalse();
        assertThat(node.has("paths")).isFalse();
    }

    @Test
    void pathsFilterGivesFreeYoursOrHeld() {
        Instance other = others(2).get(0);
        f.store.acquire(other, List.of(new LockRequest("src/Theirs.java", LockMode.EXCLUSIVE, null)), TTL, "r", null);
        f.store.acquire(other, List.of(new LockRequest("docs/", LockMode.SHARED, null)), TTL, null, null);
        new LockCalls(f.locks(mine)).acquire(List.of("src/Mine.java"), null, null, null, null);

        StatusReport report =
                status.status(List.of("src/Free.java", "src/Mine.java", "src/Theirs.java", "docs/guide.md"));

        assertThat(report.paths())
                .extracting(StatusReport.PathLine::path, StatusReport.PathLine::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("src/Free.java", "free"),
                        org.assertj.core.groups.Tuple.tuple("src/Mine.java", "yours"),
                        org.assertj.core.groups.Tuple.tuple("src/Theirs.java", "held"),
                        org.assertj.core.groups.Tuple.tuple("docs/guide.md", "held"));
        assertThat(report.paths().get(2).heldBy()).singleElement().satisfies(l -> {
            assertThat(l.holder()).isEqualTo(other.id());
            assertThat(l.task()).isEqualTo(other.task());
            assertThat(l.reason()).isEqualTo("r");
        });
        assertThat(report.paths().get(3).heldBy())
                .singleElement()
                .extracting(StatusReport.LockLine::path)
                .isEqualTo("docs/");
        // with paths, only what concerns them: the holder, its locks on them, no decisions
        assertThat(report.instances())
                .extracting(StatusReport.InstanceLine::instanceId)
                .containsExactly(other.id());
        assertThat(report.locks()).extracting(StatusReport.LockLine::path).containsExactly("src/Theirs.java", "docs/");
        assertThat(report.you().locks()).extracting(StatusReport.OwnLock::path).containsExactly("src/Mine.java");
        assertThat(report.recentDecisions()).isEmpty();
    }

    @Test
    void queuedCallsAreCounted() {
        Instance other = others(2).get(0);
        f.store.acquire(other, List.of(new LockRequest("a", LockMode.EXCLUSIVE, null)), TTL, null, null);
        Instance waiter = f.instance("claude-20261121-100000-0000cafe", 300);
        f.store.acquire(
                waiter,
                List.of(new LockRequest("a", LockMode.EXCLUSIVE, null)),
                TTL,
                null,
                f.clock.instant().plusSeconds(20));

        JsonNode node = json(status.status(null));

        assertThat(node.get("waiting").asInt()).isEqualTo(1);
    }

    @Test
    void pathsArgumentErrors() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add("f" + i);
        }
        assertThatThrownBy(() -> status.status(many))
                .isInstanceOf(CoordException.class)
                .hasMessage("status takes at most 20 paths, got 21");
        assertThatThrownBy(() -> status.status(List.of("../x")))
                .isInstanceOf(CoordException.class)
                .extracting(e -> ((CoordException) e).code())
                .isEqualTo(ErrorCode.INVALID_PATH);
    }

    @Test
    void noticesAppearOnce() {
        Session other = f.session("claude-20261121-100000-0000beef", 200);
        LockCalls me = new LockCalls(f.locks(mine));
        me.acquire(List.of("src/A.java"), null, null, null, null);
        new LockCalls(f.locks(other)).release(List.of("src/A.java"), false, true, "stuck for an hour");

        StatusReport first = status.status(null);
        StatusReport second = status.status(null);

        assertThat(first.notices())
                .singleElement()
                .asString()
                .contains("src/A.java", "force-released by claude-20261121-100000-0000beef", "stuck for an hour");
        assertThat(first.you().locks()).isEmpty();
        assertThat(second.notices()).isEmpty();
        assertThat(json(second).has("notices")).isFalse();
    }

    @Test
    void ownLocksTellWhetherTheFileChanged() {
        f.write("src/A.java", "v1");
        f.write("src/B.java", "v1");
        new LockCalls(f.locks(mine)).acquire(List.of("src/A.java", "src/B.java", "src/dir/"), null, null, null, null);
        f.write("src/B.java", "v2");

        StatusReport.You you = status.status(null).you();

        assertThat(you.locks())
                .extracting(StatusReport.OwnLock::path)
                .containsExactlyInAnyOrder("src/A.java", "src/B.java", "src/dir/");
        // a directory has no single content to compare; an unchanged file says nothing
        assertThat(you.locks())
                .filteredOn(l -> l.changed() != null)
                .extracting(StatusReport.OwnLock::path)
                .containsExactly("src/B.java");
    }

    @Test
    void recentDecisionsAndProblemsAreReported() {
        DecisionCalls decisions = new DecisionCalls(new DecisionService(f.store, mine));
        for (int i = 1; i <= 7; i++) {
            decisions.log("api", "decision " + i, "d", null, null, null);
        }
        problems = List.of("registry.json was unreadable");

        StatusReport report = status.status(null);

        assertThat(report.recentDecisions())
                .extracting(StatusReport.DecisionLine::title)
                .containsExactly("decision 7", "decision 6", "decision 5");
        assertThat(report.problems()).containsExactly("registry.json was unreadable");
    }

    @Test
    void reportOfFiftyInstancesAndFiveThousandLocksIsBoundedByTheCaps() {
        List<Instance> others = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Instance other = f.instance(String.format("claude-20261121-100000-%08x", 0x1000 + i), 1000 + i)
                    .withWork("Implement feature " + i + " of the billing module", "backend-developer", "main");
            f.store.register(other);
            others.add(other);
        }
        for (int i = 0; i < others.size(); i++) {
            lockFiles(others.get(i), "module" + i, 100);
        }
        assertThat(f.store.read().locks()).hasSize(5_000);

        StatusReport report = status.status(null);
        byte[] bytes = Json.mapper().writeValueAsBytes(report);

        assertThat(report.instances()).hasSize(StatusReports.MAX_INSTANCES);
        assertThat(report.instances()).allSatisfy(i -> assertThat(i.holds()).hasSize(StatusReports.MAX_HOLDS));
        assertThat(report.instances()).allSatisfy(i -> assertThat(i.locks()).isEqualTo(100));
        assertThat(report.moreInstances()).isEqualTo(50 - StatusReports.MAX_INSTANCES);
        assertThat(bytes.length)
                .as("status of 50 instances and 5,000 locks, in bytes")
                .isLessThan(4096);
    }

    // ---------------------------------------------------------------------------------------------- missions

    private StatusReports withMissions(Path root) {
        MissionService missions =
                new MissionService(f.store, mine, f.repo, root, java.time.ZoneOffset.UTC, MissionSettler.Steps.NONE);
        return new StatusReports(f.store, mine, f.paths, () -> problems, missions);
    }

    @Test
    void theFullPictureShowsTheMissionsAndAPathQueryLeavesThemOut() throws Exception {
        Path root = f.repo.resolve("missions");
        java.nio.file.Files.createDirectories(root.resolve("queue"));
        java.nio.file.Files.writeString(
                root.resolve("queue/m1.md"), "---\nmission_id: m1\npriority: 2\n---\n\n# First mission\n");
        StatusReports s = withMissions(root);

        StatusReport full = s.status(null);
        assertThat(full.missions()).isNotNull();
        assertThat(full.missions().queued()).isEqualTo(1);
        assertThat(full.missions().next()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("m1");
            assertThat(c.title()).isEqualTo("First mission");
            assertThat(c.priority()).isEqualTo(2);
        });
        JsonNode json = Json.mapper().valueToTree(full);
        assertThat(json.get("missions").toString())
                .isEqualTo("{\"root\":\"missions\",\"queued\":1,\"next\":[{\"id\":\"m1\",\"title\":\"First"
                        + " mission\",\"priority\":2,\"path\":\"missions/queue/m1.md\"}],\"done\":0}");

        assertThat(s.status(List.of("src/A.java")).missions()).isNull();
    }

    @Test
    void withoutAMissionsFolderTheReportHasNoMissions() {
        StatusReport r = withMissions(f.repo.resolve("missions")).status(null);
        assertThat(r.missions()).isNull();
        assertThat(Json.mapper().valueToTree(r).has("missions")).isFalse();
    }

    @Test
    void anUnreadableMissionsFolderIsAProblemNotAFailure() throws Exception {
        Path root = f.repo.resolve("missions");
        java.nio.file.Files.createDirectories(root);
        java.nio.file.Files.writeString(root.resolve("queue"), "a file where the queue folder should be");

        StatusReport r = withMissions(root).status(null);

        assertThat(r.missions()).isNull();
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p)
                .startsWith("missions: cannot read the missions folder"));
        assertThat(r.you().instanceId()).isEqualTo(mine.id());
    }

    @Test
    void overlapsOfTheRadarAreListedForLiveSessionsOnly() {
        Instance peer = others(1).get(0);
        String me = mine.id();
        RadarResult radar = new RadarResult(
                f.clock.instant(),
                12,
                "2.39",
                true,
                "main",
                Map.of(),
                List.of(),
                List.of(
                        new Overlap("src/A.java", me, peer.id(), true),
                        new Overlap("src/B.java", peer.id(), me, null),
                        new Overlap("src/C.java", me, "claude-20261121-100000-dead0000", false),
                        new Overlap("src/D.java", peer.id(), "claude-20261121-100000-dead0000", false)),
                false,
                List.of());
        assertThat(json(status.status(null)).has("overlaps"))
                .as("no radar: no field")
                .isFalse();
        status.useRadar(() -> radar);
        StatusReport r = status.status(null);
        assertThat(r.overlaps())
                .containsExactly(
                        new StatusReport.OverlapLine("src/A.java", peer.id(), peer.task(), null, "true"),
                        new StatusReport.OverlapLine("src/B.java", peer.id(), peer.task(), null, "unknown"));
        assertThat(json(r).get("overlaps").get(1).get("conflict").asString()).isEqualTo("unknown");
        assertThat(status.status(List.of("src/B.java")).overlaps())
                .extracting(StatusReport.OverlapLine::path)
                .containsExactly("src/B.java");
        status.useRadar(() -> new RadarResult(
                f.clock.instant(), 1, "2.39", true, "main", Map.of(), List.of(), List.of(), false, List.of()));
        assertThat(json(status.status(null)).has("overlaps"))
                .as("empty: left out")
                .isFalse();
    }
}
