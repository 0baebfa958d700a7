package dev.coord.engine.mission;

import static dev.coord.engine.mission.MissionFiles.mission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissionFormatTest {

    @TempDir
    Path dir;

    @Test
    void timestampsAlwaysHaveSecondsAndOffset() {
        assertThat(MissionFormat.timestamp(OffsetDateTime.of(2025, 12, 22, 2, 30, 0, 0, ZoneOffset.ofHours(1))))
                .isEqualTo("2025-12-22T02:30:00+01:00");
        assertThat(MissionFormat.timestamp(OffsetDateTime.of(2025, 12, 22, 2, 30, 5, 999_000_000, ZoneOffset.UTC)))
                .isEqualTo("2025-12-22T02:30:05Z");
    }

    @Test
    void claimedLine() {
        assertThat(MissionFormat.claimedLine(LocalTime.of(2, 30, 59), "session-7f3a", "Thaifa P0 migration"))
                .isEqualTo("02:30 - **CLAIMED** by session-7f3a (\"Thaifa P0 migration\")");
        assertThat(MissionFormat.claimedLine(LocalTime.of(14, 5), "a\nb", "  "))
                .isEqualTo("14:05 - **CLAIMED** by a b");
        assertThat(MissionFormat.claimedLine(LocalTime.of(14, 5), "a", null)).isEqualTo("14:05 - **CLAIMED** by a");
        assertThatThrownBy(() -> MissionFormat.claimedLine(LocalTime.NOON, " ", "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logLine() {
        assertThat(MissionFormat.logLine(LocalTime.of(9, 0), "RELEASED", "by s1:\r\n  done"))
                .isEqualTo("09:00 - **RELEASED** by s1: done");
        assertThat(MissionFormat.logLine(LocalTime.of(9, 0), "DONE", "")).isEqualTo("09:00 - **DONE**");
        assertThatThrownBy(() -> MissionFormat.logLine(LocalTime.NOON, "", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missionIdFromFileName() {
        assertThat(MissionFormat.missionIdFromFileName(Path.of("missions", "queue", "2025-12-22-x.md")))
                .isEqualTo("2025-12-22-x");
        assertThat(MissionFormat.missionIdFromFileName(Path.of("UPPER.MD"))).isEqualTo("UPPER");
        assertThat(MissionFormat.missionIdFromFileName(Path.of("notes.txt"))).isEqualTo("notes.txt");
        assertThat(MissionFormat.missionIdFromFileName(Path.of(".md"))).isEqualTo(".md");
    }

    @Test
    void lowerPriorityNumberComesFirstThenOlderThenId() {
        MissionDocument p1 = mission(dir, "p1.md", "```yaml\npriority: 1\ncreated: 2025-12-23\n```\n");
        MissionDocument p1Older = mission(dir, "p1-older.md", "```yaml\npriority: 1\ncreated: 2025-12-20\n```\n");
        MissionDocument p1NoDate = mission(dir, "a-p1-no-date.md", "```yaml\npriority: 1\n```\n");
        MissionDocument p2 = mission(dir, "p2.md", "```yaml\npriority: 2\ncreated: 2025-01-01\n```\n");
        MissionDocument none = mission(dir, "none.md", "# No priority\n");
        MissionDocument noneB = mission(dir, "b-none.md", "# No priority\n");
        List<MissionDocument> missions = new ArrayList<>(List.of(none, p2, p1, noneB, p1NoDate, p1Older));

        missions.sort(MissionFormat.BY_PRIORITY);

        assertThat(missions).containsExactly(p1Older, p1, p1NoDate, p2, noneB, none);
    }
}
