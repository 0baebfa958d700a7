package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.Session;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.testing.ServiceFixture;
import dev.coord.tools.MissionViews.Overview;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example tree in {@code examples/missions} reads as documented, and coord works on a copy of it. */
class ExampleMissionsTest {
    static final Path EXAMPLES = Path.of("../examples/missions");

    @TempDir
    Path tmp;

    ServiceFixture f;
    Path missions;
    Session me;

    @BeforeEach
    void copyExamples() throws IOException {
        f = new ServiceFixture(tmp);
        missions = f.repo.resolve("missions");
        try (Stream<Path> all = Files.walk(EXAMPLES)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = missions.resolve(EXAMPLES.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        me = f.session("claude-20261122-090000-00c0ffee", 300);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    MissionCalls service() {
        return new MissionCalls(
                new MissionService(f.store, me, f.repo, missions, ZoneOffset.ofHours(1), MissionSettler.Steps.NONE));
    }

    @Test
    void theExamplesReadAsTheReadmeSays() {
        Overview o = service().overview(f.store.touch(me.self()));

        assertThat(o.malformed()).isEmpty();
        assertThat(o.queued()).isEqualTo(3);
        assertThat(o.next())
                .extracting(c -> c.id())
                .containsExactly("2026-11-20-thaifa-migration", "2026-11-22-api-docs");
        assertThat(o.blocked()).isEqualTo(1);
        assertThat(o.done()).isEqualTo(1);
        assertThat(o.active()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("2026-11-19-login-page");
            assertThat(a.claimedBy()).isEqualTo("claude-20261121-143210-1a2b3c4d");
            assertThat(a.claimedAt()).isEqualTo("2026-11-21T14:32:10+01:00");
            assertThat(a.stranded()).as("no such session runs").isTrue();
        });
    }

    @Test
    void theTemplateMissionIsClaimedFirstAndStampedInPlace() throws IOException {
        String before = Files.readString(missions.resolve("queue/2026-11-20-thaifa-migration.md"));

        var claimed = service().claim(null, null, false, null);

        assertThat(claimed.mission().id()).isEqualTo("2026-11-20-thaifa-migration");
        String after = Files.readString(missions.resolve("active/2026-11-20-thaifa-migration.md"));
        assertThat(after)
                .isEqualTo(before.replace("status: QUEUED ", "status: ACTIVE ")
                        .replace("claimed_at:     #", "claimed_at: 2026-11-21T11:00:00+01:00     #")
                        .replace("claimed_by:     #", "claimed_by: claude-20261122-090000-00c0ffee     #")
                        .replace(
                                "- 18:02 - **CREATED** by Omar\n",
                                "- 18:02 - **CREATED** by Omar\n\n### 2026-11-21\n\n"
                                        + "- 11:00 - **CLAIMED** by claude-20261122-090000-00c0ffee (\"task of"
                                        + " claude-20261122-090000-00c0ffee\")\n"));
    }
}
