package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code status} costs the model's context: small at a busy size, bounded at any size. */
class StatusBudgetTest {
    @TempDir
    Path repo;

    final List<ToolHarness> sessions = new ArrayList<>();

    @AfterEach
    void stop() {
        sessions.forEach(ToolHarness::close);
    }

    /** {@code count} sessions, each registered with a realistic task and holding {@code locks} locks with a reason. */
    private ToolHarness busy(int count, int locks, String text) throws Exception {
        Path state = repo.resolve(".claude/coordination");
        Files.createDirectories(repo.resolve("src"));
        for (int s = 0; s < count; s++) {
            ToolHarness h = new ToolHarness(
                    repo.toRealPath(), state, String.format("claude-20261207-1%05d-%08x", s, 0xabc000 + s), 100 + s);
            sessions.add(h);
            assertThat(h.call("register_instance", Map.of("task", text + " " + s))
                            .isError())
                    .isNotEqualTo(Boolean.TRUE);
            List<String> paths = new ArrayList<>();
            for (int l = 0; l < locks; l++) {
                paths.add("src/m" + s + "/File" + l + ".java");
            }
            var r = h.call("acquire_lock", Map.of("paths", paths, "reason", text));
            assertThat(ToolHarness.content(r)).containsEntry("acquired", true);
        }
        ToolHarness first = sessions.get(0);
        for (int d = 0; d < 5; d++) {
            first.call(
                    "log_decision",
                    Map.of("category", "api-design", "title", text + " decision " + d, "description", "d"));
        }
        return first;
    }

    private static int bytes(Object content) {
        return Json.mapper().writeValueAsString(content).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void eightSessionsWithFiveLocksEachFitInTwoKilobytes() throws Exception {
        ToolHarness me = busy(8, 5, "billing refactor");
        Map<String, Object> status = ToolHarness.content(me.call("status", Map.of()));
        System.out.println("status of 8 sessions x 5 locks, seen by one of them: " + bytes(status) + " bytes");
        assertThat(bytes(status)).as(Json.mapper().writeValueAsString(status)).isLessThan(2048);
        assertThat(status).containsKeys("you", "instances", "recent_decisions");
        assertThat(ToolHarness.list(status, "instances"))
                .hasSize(7)
                .allSatisfy(i -> assertThat(i).containsEntry("locks", 5).containsKey("holds"));
    }

    @Test
    void statusStaysBoundedWhateverTheSize() throws Exception {
        String longText = "x".repeat(400);
        ToolHarness me = busy(20, 30, longText);
        Map<String, Object> status = ToolHarness.content(me.call("status", Map.of()));
        String json = Json.mapper().writeValueAsString(status);
        assertThat(bytes(status)).as(json).isLessThan(4096);
        assertThat(json).doesNotContain(longText);
        assertThat(status).containsKey("more_instances");
        assertThat(((Map<?, ?>) status.get("you")).get("more_locks")).isEqualTo(30 - 20);
    }

    @Test
    void timestampsInResultsHaveSecondPrecision() throws Exception {
        ToolHarness me = busy(2, 1, "t");
        String acquire = Json.mapper()
                .writeValueAsString(
                        ToolHarness.content(me.call("acquire_lock", Map.of("paths", List.of("src/other.java")))));
        String conflict = Json.mapper()
                .writeValueAsString(ToolHarness.content(
                        sessions.get(1).call("acquire_lock", Map.of("paths", List.of("src/other.java")))));
        String status = Json.mapper().writeValueAsString(ToolHarness.content(me.call("status", Map.of())));
        for (String json : List.of(acquire, conflict, status)) {
            assertThat(json).containsPattern("\"20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"");
            assertThat(json).doesNotContainPattern("T\\d\\d:\\d\\d:\\d\\d\\.\\d+Z");
        }
    }
}
