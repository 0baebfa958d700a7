package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.CoordException;
import dev.coord.engine.Session;
import dev.coord.engine.git.Overlap;
import dev.coord.engine.git.RadarCache;
import dev.coord.engine.git.RadarResult;
import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Notice;
import dev.coord.engine.store.CoordStore;
import dev.coord.postgres.PostgresServer;
import dev.coord.tools.MissionViews;
import dev.coord.tools.MissionsView;
import dev.coord.tools.StatusReport;
import dev.coord.tools.StatusView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the dashboard reads and does, over the file store and PostgreSQL. */
class DashboardDataTest {
    @TempDir
    Path dir;

    CliFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new CliFixture(dir);
        Git.init(f.repo);
        Files.createDirectories(f.repo.resolve("src"));
        Files.writeString(f.repo.resolve("src/A.java"), "class A {}");
        Path queue = Files.createDirectories(f.repo.resolve("missions/queue"));
        Files.writeString(queue.resolve("m.md"), "---\nmission_id: m1\nstatus: QUEUED\npriority: 1\n---\n\n# One\n");
    }

    CliEnv ctx() {
        return new CliEnv(
                f.env,
                f.repo,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]),
                f.clock,
                false);
    }

    @Test
    void fileStore() throws Exception {
        readForceReleaseAndGiveBack();
    }

    @Test
    void postgres() throws Exception {
        f.env.put("COORD_STORE_URL", PostgresServer.shared().newDatabase("dashboard"));
        f.env.put("COORD_PROJECT", "it.example/dashboard");
        readForceReleaseAndGiveBack();
    }

    @SuppressWarnings("unchecked")
    void readForceReleaseAndGiveBack() throws Exception {
        CliEnv ctx = ctx();
        try (CoordStore store = ctx.openStore()) {
            CoordEngine holderEngine = ctx.personEngine("Build the parser", "backend", "claude-code");
            Session holder = holderEngine.session();
            String holderId = holder.id();
            assertThat(store.acquire(
                                    holder.self(),
                                    List.of(new LockRequest("src/A.java", LockMode.EXCLUSIVE, null)),
                                    Duration.ofMinutes(30),
                                    "fixing",
                                    null)
                            .acquired())
                    .isTrue();
            DashboardData data = new DashboardData(ctx, store);
            Map<String, Object> s = data.read();
            assertThat(s)
                    .containsOnlyKeys(
                            "meta",
                            "sessions",
                            "locks",
                            "waits",
                            "decisions",
                            "missions",
                            "audit",
                            "overlaps",
                            "messages");
            assertThat((List<StatusView.InstanceView>) s.get("sessions"))
                    .singleElement()
                    .satisfies(i -> {
                        assertThat(i.instanceId()).isEqualTo(holderId);
                        assertThat(i.task()).isEqualTo("Build the parser");
                        assertThat(i.locks()).containsExactly("src/A.java");
                    });
            assertThat((List<StatusReport.LockLine>) s.get("locks"))
                    .singleElement()
                    .satisfies(l -> assertThat(l.holder()).isEqualTo(holderId));
            assertThat(((List<AuditEvent>) s.get("audit")).get(0).event()).isEqualTo("acquire");
            assertThat(((MissionsView) s.get("missions")).queued())
                    .extracting(MissionViews.Candidate::id)
                    .containsExactly("m1");

            editClaimsAndOverlaps(ctx, store, data, holderId);

            // A message from the send box: delivered to the role, marked as from a person, listed on the page.
            Map<String, Object> sent = (Map<String, Object>) data.sendMessage("backend", "deploy", "hold the deploy");
            assertThat(sent.get("delivered_to")).isEqualTo(List.of(holderId));
            assertThat(holderEngine.messages().inbox().unread()).isEqualTo(1);
            assertThat(holderEngine.messages().inbox().newest().person()).isTrue();
            assertThat((List<DashboardData.MessageView>) data.read().get("messages"))
                    .singleElement()
                    .satisfies(m -> {
                        assertThat(m.person()).isTrue();
                        assertThat(m.body()).isEqualTo("hold the deploy");
                        assertThat(m.recipients()).containsExactly(holderId);
                    });
            assertThatThrownBy(() -> data.sendMessage("reviewer", null, "x"))
                    .isInstanceOf(CoordException.class)
                    .hasMessageContaining("reviewer");

            // Force release: the lock goes, the holder is told why and that it came from the dashboard.
            Map<String, Object> r = (Map<String, Object>) data.forceRelease("src/A.java", "session hangs");
            assertThat(r.get("message")).isEqualTo("released src/A.java; its holder is told on its next call");
            assertThat(store.read().locks()).isEmpty();
            List<Notice> notices = store.touch(holder.self()).notices();
            assertThat(notices).singleElement().satisfies(n -> {
                assertThat(n.kind()).isEqualTo(Notice.Kind.FORCED_RELEASE);
                assertThat(n.reason()).startsWith("session hangs [coord dashboard, ");
            });
            List<AuditEvent> audit = store.recentAudit(10);
            assertThat(audit).extracting(AuditEvent::event).containsSubsequence("unregister", "force", "register");
            AuditEvent force = audit.stream()
                    .filter(e -> e.event().equals("force"))
                    .findFirst()
                    .orElseThrow();
            assertThat(force.path()).isEqualTo("src/A.java");
            assertThat(force.details()).containsEntry("holder", holderId);
            assertThat((String) force.details().get("reason")).startsWith("session hangs [coord dashboard, ");
            // The action's own short-lived instance is gone again.
            assertThat(store.read().instances()).extracting(i -> i.id()).containsExactly(holderId);
            assertThat(((Map<String, Object>) data.forceRelease("src/A.java", "again")).get("message"))
                    .isEqualTo("src/A.java was not locked (any more)");
            assertThatThrownBy(() -> data.forceRelease("../outside", "x"))
                    .isInstanceOf(CoordException.class)
                    .hasMessageContaining("leaves the repository");

            // Give back: refused while the claimer lives, done once it is gone.
            assertThat(holderEngine.missions().claim("m1", "req-1", false, null).claimed())
                    .isTrue();
            assertThatThrownBy(() -> data.giveBack("m1", "stuck")).isInstanceOf(CoordException.class);
            holderEngine.close();
            Map<String, Object> back = (Map<String, Object>) data.giveBack("m1", "its session died");
            assertThat(back.get("message")).isEqualTo("mission m1 is back in the queue");
            assertThat(f.repo.resolve("missions/queue/m.md")).exists();
            assertThat(Files.readString(f.repo.resolve("missions/queue/m.md")))
                    .contains("its session died [coord dashboard, ");
        }
    }

    /**
     * An edit claim is marked {@code auto} in the locks the page gets; the overlaps come from the radar result the
     * servers share in {@code radar.json}, between live sessions only, with each side's task and worktree.
     */
    @SuppressWarnings("unchecked")
    void editClaimsAndOverlaps(CliEnv ctx, CoordStore store, DashboardData data, String holderId) throws Exception {
        Map<String, Object> none = (Map<String, Object>) data.read().get("overlaps");
        assertThat(none).doesNotContainKey("computed_at");
        assertThat((List<?>) none.get("overlaps")).isEmpty();

        try (CoordEngine otherEngine = ctx.personEngine("Fix the lexer", "frontend", "claude-code")) {
            Session other = otherEngine.session();
            String otherId = other.id();
            Files.writeString(f.repo.resolve("src/B.java"), "class B {}");
            store.claimEdit(other.self(), "src/B.java", null, Duration.ofMinutes(5));
            List<StatusReport.LockLine> locks =
                    (List<StatusReport.LockLine>) data.read().get("locks");
            assertThat(locks)
                    .filteredOn(l -> l.path().equals("src/B.java"))
                    .singleElement()
                    .satisfies(l -> {
                        assertThat(l.holder()).isEqualTo(otherId);
                        assertThat(l.auto()).isTrue();
                    });
            assertThat(locks)
                    .filteredOn(l -> l.path().equals("src/A.java"))
                    .singleElement()
                    .satisfies(l -> assertThat(l.auto()).isNull());

            Instant at = Instant.parse("2026-12-07T10:00:00Z");
            String wt = f.repo.toString();
            // On PostgreSQL the servers create the state directory for their radar files; here the test does.
            Files.createDirectories(ctx.stateDir());
            new RadarCache(ctx.stateDir())
                    .write(new RadarResult(
                            at,
                            12,
                            "2.47.3",
                            true,
                            "main",
                            Map.of(holderId, wt, otherId, wt),
                            List.of(),
                            List.of(
                                    new Overlap("src/A.java", holderId, otherId, true),
                                    new Overlap("src/C.java", holderId, "claude-20261207-gone", null)),
                            false,
                            List.of()));
            Map<String, Object> radar = (Map<String, Object>) data.read().get("overlaps");
            assertThat(radar).containsEntry("computed_at", at).containsEntry("predicted", true);
            assertThat((List<Map<String, Object>>) radar.get("overlaps"))
                    .singleElement()
                    .satisfies(o -> {
                        assertThat(o).containsEntry("path", "src/A.java").containsEntry("conflict", "true");
                        List<Map<String, Object>> sides = (List<Map<String, Object>>) o.get("sessions");
                        assertThat(sides).extracting(m -> m.get("instance_id")).containsExactly(holderId, otherId);
                        assertThat(sides)
                                .extracting(m -> m.get("task"))
                                .containsExactly("Build the parser", "Fix the lexer");
                        assertThat(sides).extracting(m -> m.get("worktree")).containsOnly(wt);
                    });
        }
    }
}
