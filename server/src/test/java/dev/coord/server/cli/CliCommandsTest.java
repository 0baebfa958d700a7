package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.store.file.FileStore;
import dev.coord.server.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class CliCommandsTest {
    @TempDir
    Path dir;

    CliFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new CliFixture(dir);
        Git.init(f.repo);
        Files.createDirectories(f.repo.resolve("src"));
        Files.writeString(f.repo.resolve("src/A.java"), "class A {}");
    }

    private Instance backend() {
        return f.register("Implement the auth API", "backend", "session-backend");
    }

    @Test
    void statusShowsInstancesLocksAndDecisionsWithoutRegisteringItself() {
        Instance b = backend();
        Instance ui = f.register("Login form", "frontend", "session-ui");
        f.lock(b, "src/A.java", LockMode.EXCLUSIVE, Duration.ofMinutes(30), "refactoring");
        f.lock(ui, "web/", LockMode.SHARED, Duration.ofMinutes(30), null);
        try (FileStore store = f.store()) {
            store.appendDecision(b, new DecisionDraft("api-design", "Use REST", "Because.", "system", null, null));
        }
        f.clock.advance(Duration.ofSeconds(7));

        CliFixture.Result r = f.run("status");

        assertThat(r.code()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(r.out())
                .contains("Instances (2)", b.id(), "backend", "Implement the auth API", "branch:   main")
                .contains("heartbeat 7s ago", "holds:    src/A.java")
                .contains("Locks (2)", "src/A.java  exclusive  " + b.id() + " (Implement the auth API)")
                .contains("until 2026-11-21T10:30:00Z")
                .contains("web/  shared  " + ui.id())
                .contains("Recent decisions (1)", "[api-design] Use REST")
                .doesNotContain("\u001b[", "token");
        assertThat(r.err()).isEmpty();
        try (FileStore store = f.store()) {
            assertThat(store.read().instances()).extracting(Instance::id).containsExactlyInAnyOrder(b.id(), ui.id());
        }
    }

    @Test
    void statusVerboseAddsTokensReasonsAndProcesses() {
        Instance b = backend();
        f.lock(b, "src/A.java", LockMode.EXCLUSIVE, Duration.ofMinutes(30), "refactoring");

        CliFixture.Result r = f.run("status", "--verbose");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("token 1", "reason: refactoring", "pid " + b.pid(), "session session-backend");
    }

    @Test
    void statusJsonParsesAndListsEverything() {
        Instance b = backend();
        f.lock(b, "src/", LockMode.EXCLUSIVE, Duration.ofMinutes(30), "refactoring");

        CliFixture.Result r = f.run("status", "--json");

        assertThat(r.code()).isZero();
        JsonNode json = Json.mapper().readTree(r.out());
        assertThat(json.path("repository").asString()).isEqualTo(f.repo.toString());
        assertThat(json.path("instances")).hasSize(1);
        JsonNode inst = json.path("instances").get(0);
        assertThat(inst.path("instance_id").asString()).isEqualTo(b.id());
        assertThat(inst.path("role").asString()).isEqualTo("backend");
        assertThat(inst.path("task").asString()).isEqualTo("Implement the auth API");
        assertThat(inst.path("branch").asString()).isEqualTo("main");
        assertThat(inst.path("worktree").asString()).isEqualTo(f.repo.toString());
        assertThat(inst.path("heartbeat_age_s").asLong()).isZero();
        assertThat(inst.path("locks").get(0).asString()).isEqualTo("src/");
        JsonNode lock = json.path("locks").get(0);
        assertThat(lock.path("path").asString()).isEqualTo("src/");
        assertThat(lock.path("mode").asString()).isEqualTo("exclusive");
        assertThat(lock.path("holder").asString()).isEqualTo(b.id());
        assertThat(lock.path("expires_at").asString()).isEqualTo("2026-11-21T10:30:00Z");
    }

    @Test
    void statusOfARepositoryWithoutStateCreatesNothing() {
        CliFixture.Result r = f.run("status", "--json");

        assertThat(r.code()).isZero();
        assertThat(Json.mapper().readTree(r.out()).path("instances")).isEmpty();
        assertThat(f.stateExists()).isFalse();
    }

    @Test
    void statusWatchRefreshesUntilInterrupted() {
        backend();
        java.util.List<Duration> waits = new java.util.ArrayList<>();
        CliFixture.Result r = f.watch(
                d -> {
                    waits.add(d);
                    if (waits.size() == 1) {
                        f.register("Login form", "frontend", "session-ui");
                        return;
                    }
                    throw new InterruptedException("stop");
                },
                "status",
                "--watch=5");

        assertThat(r.code()).isZero();
        assertThat(waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(r.out()).contains("Instances (1)", "Instances (2)", "Login form");
        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        assertThat(f.run("status", "--watch", "--json").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(f.run("status", "--watch=0").err()).contains("got 0");
    }

    private void mission(String folder, String id, String extra, String title) throws IOException {
        Path dir = Files.createDirectories(f.repo.resolve("missions").resolve(folder));
        Files.writeString(
                dir.resolve(id + ".md"),
                "---\nmission_id: " + id + "\nstatus: " + folder.toUpperCase(java.util.Locale.ROOT) + "\n" + extra
                        + "---\n\n# " + title + "\n");
    }

    /** Queued (two claimable by priority, one waiting), active (live claimer, dead and stale claimer), done, bad. */
    private Instance missionTree() throws IOException {
        Instance b = backend();
        mission("queue", "m-low", "priority: 3\n", "Low");
        mission("queue", "m-high", "priority: 1\n", "High");
        mission("queue", "m-later", "priority: 1\ndepends_on: [m-high]\n", "Later");
        mission("active", "m-mine", "claimed_at: 2026-11-21T09:00:00Z\nclaimed_by: " + b.id() + "\n", "Taken");
        mission(
                "active",
                "m-left",
                "claimed_at: 2026-11-19T09:00:00Z\nclaimed_by: claude-20261119-090000-deadbeef\n",
                "Left");
        mission("done", "m-old", "", "Old");
        Files.writeString(f.repo.resolve("missions/queue/m-bad.md"), "---\nmission_id: [unclosed\n");
        return b;
    }

    @Test
    void missionsListShowsActiveWithClaimersThenQueuedBestFirst() throws IOException {
        Instance b = missionTree();

        CliFixture.Result r = f.run("missions");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("missions/: 3 queued, 2 active, 1 done")
                .contains("m-mine  Taken", "claimed by " + b.id() + " (Implement the auth API)")
                .contains("m-left  Left", "claude-20261119-090000-deadbeef", "stranded: its session is gone")
                .contains("stale: claimed over 24 h ago")
                .contains("unreadable missions/queue/m-bad.md");
        assertThat(r.out().indexOf("m-high")).isLessThan(r.out().indexOf("m-later"));
        assertThat(r.out().indexOf("m-later")).isLessThan(r.out().indexOf("m-low"));
        assertThat(r.out()).contains("waits for m-high");
        assertThat(r.out().lines().filter(l -> l.contains("m-mine")).findFirst().orElseThrow())
                .doesNotContain("stranded");
        assertThat(f.run("missions", "list").out()).isEqualTo(r.out());
    }

    @Test
    void missionsJsonAndStatusCarryTheSameFacts() throws IOException {
        Instance b = missionTree();

        JsonNode json =
                Json.mapper().readTree(f.run("missions", "list", "--json").out());

        assertThat(json.path("root").asString()).isEqualTo("missions");
        assertThat(json.path("queued"))
                .extracting(q -> q.path("id").asString())
                .containsExactly("m-high", "m-later", "m-low");
        assertThat(json.path("queued").get(1).path("waits_for").get(0).asString())
                .isEqualTo("m-high");
        JsonNode active = json.path("active");
        assertThat(active).extracting(x -> x.path("id").asString()).containsExactly("m-left", "m-mine");
        assertThat(active.get(0).path("alive").asBoolean()).isFalse();
        assertThat(active.get(0).path("stale").asBoolean()).isTrue();
        assertThat(active.get(1).path("claimed_by").asString()).isEqualTo(b.id());
        assertThat(active.get(1).path("alive").asBoolean()).isTrue();
        assertThat(active.get(1).path("age_s").asLong()).isEqualTo(3600);
        assertThat(json.path("done").asInt()).isEqualTo(1);
        assertThat(json.path("malformed").get(0).path("path").asString()).isEqualTo("missions/queue/m-bad.md");

        JsonNode status = Json.mapper().readTree(f.run("status", "--json").out());
        assertThat(status.path("missions")).isEqualTo(json);
        assertThat(f.run("status").out())
                .contains("Missions  missions/: 3 queued, 2 active, 1 done", "m-mine  Taken")
                .doesNotContain("m-low");
    }

    @Test
    void missionsWithoutAMissionsFolderSaysHowToMakeOne() {
        CliFixture.Result r = f.run("missions");

        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("no missions folder", "coord init --missions");
        assertThat(f.run("status", "--json").out()).doesNotContain("\"missions\"");
        assertThat(f.stateExists()).isFalse();
    }

    @Test
    void locksCheckFreeHeldExpiredAndStale() {
        assertThat(f.run("locks", "check", "src/A.java").code()).isEqualTo(ExitCodes.SUCCESS);

        Instance b = backend();
        f.lock(b, "src/", LockMode.SHARED, Duration.ofSeconds(60), null);
        CliFixture.Result held = f.run("locks", "check", "src/A.java");
        assertThat(held.code()).isEqualTo(ExitCodes.LOCK_HELD);
        assertThat(held.out()).contains("src/A.java: held through src/ (shared) by " + b.id());

        CliFixture.Result fromSrc = f.runIn(f.repo.resolve("src"), "", "locks", "check", "A.java");
        assertThat(fromSrc.code())
                .as("paths are relative to the working directory")
                .isEqualTo(ExitCodes.LOCK_HELD);

        f.env.put("COORD_STALE_AFTER", "1h");
        f.clock.advance(Duration.ofSeconds(61));
        CliFixture.Result expired = f.run("locks", "check", "src/A.java");
        assertThat(expired.code()).isEqualTo(ExitCodes.LOCK_EXPIRED);
        assertThat(expired.out()).contains("expired at 2026-11-21T10:01:00Z");

        f.env.remove("COORD_STALE_AFTER");
        CliFixture.Result stale = f.run("locks", "check", "src/A.java");
        assertThat(stale.code()).isEqualTo(ExitCodes.STALE_INSTANCE);
        assertThat(stale.out()).contains(b.id() + ", which is no longer alive");
    }

    @Test
    void locksCheckRefusesAPathOutsideTheRepository() {
        CliFixture.Result r = f.run("locks", "check", "/etc/passwd");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("INVALID_PATH", "/etc/passwd");
    }

    @Test
    void locksListShowsHolders() {
        Instance b = backend();
        f.lock(b, "src/A.java", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);

        assertThat(f.run("locks", "list").out())
                .startsWith("src/A.java  exclusive  " + b.id() + " (Implement the auth API)");
        assertThat(Json.mapper().readTree(f.run("locks", "list", "--json").out()))
                .hasSize(1);
    }

    @Test
    void locksReleaseForceActsAsAShortLivedCliInstance() throws IOException {
        Instance b = backend();
        f.lock(b, "src/A.java", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);

        CliFixture.Result r = f.run("locks", "release", "src/A.java", "--force", "--reason", "session hangs");

        assertThat(r.code()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(r.out()).contains("released src/A.java (exclusive, token 1) from " + b.id());
        try (FileStore store = f.store()) {
            Snapshot s = store.touch(b);
            assertThat(s.locks()).isEmpty();
            assertThat(s.instances()).extracting(Instance::id).containsExactly(b.id());
            // the former holder is told who did it: a person at the command line, not an opaque session id
            assertThat(s.notices()).singleElement().satisfies(n -> assertThat(dev.coord.tools.Notices.message(n))
                    .contains("force-released by " + System.getProperty("user.name")
                            + "@test-host at the command line: session hangs"));
        }
        assertThat(Files.readString(f.stateDir.resolve("audit.jsonl")))
                .contains("\"event\":\"force\"", "\"reason\":\"session hangs\"", "\"holder\":\"" + b.id())
                .contains("\"event\":\"unregister\"", "\"reason\":\"cli command done\"");
    }

    @Test
    void locksReleaseOfAPathNobodyHoldsIsNothingDone() {
        CliFixture.Result r = f.run("locks", "release", "src/", "--force", "--reason", "x");

        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.out()).contains("src/: was not locked");
        assertThat(r.err()).contains("nothing was released: no lock is held on src/");
    }

    @Test
    void locksCheckOfARelativePathOutsideSaysWhichPathAndWhy() {
        CliFixture.Result r = f.run("locks", "check", "../outside");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains("'../outside' is " + f.repo.getParent().resolve("outside"))
                .contains("outside the repository " + f.repo)
                .contains("coord locks only paths inside the repository");
    }

    @Test
    void decisionTimesAreShownToTheSecond() {
        f.clock.advance(Duration.ofNanos(123_456_789));
        f.run("decisions", "add", "--category", "c", "--title", "T", "--description", "D.");

        assertThat(f.run("decisions", "list").out()).isEqualTo("DEC-20261121-0001  [c] T  2026-11-21T10:00:00Z\n");
        assertThat(f.run("decisions", "show", "DEC-20261121-0001").out())
                .contains("created:    2026-11-21T10:00:00Z by ")
                .doesNotContain(".123");
    }

    @Test
    void locksReleaseNeedsForceAndReason() {
        assertThat(f.run("locks", "release", "src/A.java", "--reason", "x").code())
                .isEqualTo(ExitCodes.USAGE);
        CliFixture.Result r = f.run("locks", "release", "src/A.java", "--force");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--reason");
    }

    @Test
    void decisionsAddListShow() {
        CliFixture.Result add = f.run(
                "decisions",
                "add",
                "--category",
                "api-design",
                "--title",
                "Use REST",
                "--description",
                "JSON over HTTP.",
                "--scope",
                "system");
        assertThat(add.code()).isZero();
        assertThat(add.out()).isEqualTo("logged DEC-20261121-0001  [api-design] Use REST\n");
        f.run("decisions", "add", "--category", "database", "--title", "Use Postgres", "--description", "Yes.");

        assertThat(f.run("decisions", "list").out())
                .isEqualTo("DEC-20261121-0002  [database] Use Postgres  2026-11-21T10:00:00Z\n"
                        + "DEC-20261121-0001  [api-design] Use REST  2026-11-21T10:00:00Z\n");
        assertThat(f.run("decisions", "list", "--category", "api-design", "--limit", "5")
                        .out())
                .doesNotContain("Postgres")
                .contains("Use REST");
        List<Decision> json = List.of(Json.mapper()
                .readValue(f.run("decisions", "list", "--json", "--limit", "1").out(), Decision[].class));
        assertThat(json).extracting(Decision::id).containsExactly("DEC-20261121-0002");

        CliFixture.Result show = f.run("decisions", "show", "DEC-20261121-0001");
        assertThat(show.code()).isZero();
        assertThat(show.out())
                .contains("category:   api-design, scope system", "JSON over HTTP.", "@test-host at the command line");
        try (FileStore store = f.store()) {
            assertThat(store.read().instances()).as("the cli instance left").isEmpty();
        }
    }

    @Test
    void decisionsErrorsMapToExitCodes() {
        assertThat(f.run("decisions", "show", "DEC-20261121-0042").code()).isEqualTo(ExitCodes.FAILURE);
        CliFixture.Result badId = f.run("decisions", "show", "42");
        assertThat(badId.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badId.err()).contains("\"42\"");
        CliFixture.Result limit = f.run("decisions", "list", "--limit", "0");
        assertThat(limit.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(limit.err()).contains("got 0");
        CliFixture.Result scope =
                f.run("decisions", "add", "--category", "a", "--title", "t", "--description", "d", "--scope", "galaxy");
        assertThat(scope.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(scope.err()).contains("\"galaxy\"");
    }

    @Test
    void cleanupReportsWhatDeadInstancesLeft() {
        Instance b = backend();
        f.lock(b, "src/A.java", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);
        f.lock(b, "web/", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);
        f.clock.advance(Duration.ofMinutes(5));

        CliFixture.Result r = f.run("cleanup");

        assertThat(r.code()).isZero();
        assertThat(r.out())
                .isEqualTo("removed 1 dead instance(s), 2 lock(s), 0 wait(s) and 0 damaged file(s) set aside\n");
        assertThat(f.run("cleanup", "--json").out())
                .isEqualTo("{\"instances\":0,\"locks\":0,\"waiters\":0,\"set_aside_files\":0}\n");
    }

    @Test
    void usageErrorsAndUnavailableState() throws IOException {
        assertThat(f.run("frobnicate").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(f.run("locks").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(f.run("status", "--bogus").code()).isEqualTo(ExitCodes.USAGE);
        f.env.put("COORD_LOCK_TTL", "forever");
        CliFixture.Result config = f.run("status");
        assertThat(config.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(config.err()).contains("\"forever\"");
        f.env.remove("COORD_LOCK_TTL");

        // status reads without the mutex (read-only): a state file it cannot read makes the state unavailable
        Files.createDirectories(f.stateDir.resolve("registry.json"));
        CliFixture.Result r = f.run("status");
        assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("STORE_UNAVAILABLE");
    }
}
