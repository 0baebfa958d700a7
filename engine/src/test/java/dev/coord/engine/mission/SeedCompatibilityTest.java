package dev.coord.engine.mission;

import static dev.coord.engine.mission.MissionFiles.SEED_000;
import static dev.coord.engine.mission.MissionFiles.SEED_001;
import static dev.coord.engine.mission.MissionFiles.bytes;
import static dev.coord.engine.mission.MissionFiles.resource;
import static dev.coord.engine.mission.MissionFiles.resourceMission;
import static dev.coord.engine.mission.MissionFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two documents coord grew from: the multi-instance coordination mission (seed 000) and the claim protocol
 * report (seed 001), kept byte for byte under {@code src/test/resources/missions/}.
 */
class SeedCompatibilityTest {

    @TempDir
    Path dir;

    @Test
    void readsTheMissionSeed() {
        MissionDocument doc = resourceMission(dir, SEED_000);

        assertThat(doc.metadataBlock()).contains(new MetadataBlock(MetadataBlock.Form.FENCED_YAML, 3, 10));
        assertThat(doc.missionId()).isEqualTo("2025-12-22-multi-instance-coordination");
        assertThat(doc.status()).contains("DRAFT");
        assertThat(doc.assignedTo()).contains("Claude Code");
        assertThat(doc.created()).contains("2025-12-22");
        assertThat(doc.priority()).isEqualTo(1);
        assertThat(doc.dependsOn()).isEmpty();
        assertThat(doc.claimedAt()).isEmpty();
        assertThat(doc.claimedBy()).isEmpty();
        assertThat(doc.completedAt()).isEmpty();
        assertThat(doc.title()).isEqualTo("Mission: Multi-Instance Coordination System");
        assertThat(doc.fields())
                .extracting(MetadataField::key)
                .containsExactly("mission_id", "status", "assigned_to", "created", "priority", "depends_on");
        assertThat(doc.field("depends_on"))
                .contains(new MetadataField("depends_on", 9, new MetadataValue.FlowList(List.of())));
        assertThat(doc.objectives()).hasSize(8);
        assertThat(doc.objectives().get(0))
                .isEqualTo(new Objective("**O1**: Analyser les patterns de conflits actuels", false, 45));
        assertThat(doc.objectives().get(7)).isEqualTo(new Objective("**O8**: Documenter les edge cases", false, 58));
        assertThat(doc.objectives()).noneMatch(Objective::done);
    }

    @Test
    void theReportSeedHasNoMetadataBecauseItsYamlBlocksComeAfterTheFirstSection() {
        MissionDocument doc = resourceMission(dir, SEED_001);

        assertThat(doc.metadataBlock()).isEmpty();
        assertThat(doc.fields()).isEmpty();
        assertThat(doc.missionId()).isEqualTo("seed-001-claim-protocol-report");
        assertThat(doc.title()).isEqualTo("Mission Coordination Protocol — Design Report");
        assertThat(doc.status()).isEmpty();
        assertThat(doc.priority()).isEqualTo(MissionFormat.DEFAULT_PRIORITY);
        assertThat(doc.objectives()).isEmpty();
    }

    @Test
    void claimingTheMissionSeedChangesOnlyTheClaimValuesAndAddsTheLogLine() {
        MissionDocument doc = resourceMission(dir, SEED_000);
        OffsetDateTime at = OffsetDateTime.of(2025, 12, 22, 2, 30, 0, 0, ZoneOffset.ofHours(1));

        MissionDocument claimed = doc.withField(MissionFormat.STATUS, "ACTIVE")
                .withField(MissionFormat.CLAIMED_AT, MissionFormat.timestamp(at))
                .withField(MissionFormat.CLAIMED_BY, "Thaifa P0 migration session", MissionDocument.Quoting.ALWAYS)
                .withLogEntry(
                        LocalDate.of(2025, 12, 22),
                        MissionFormat.claimedLine(LocalTime.of(2, 30), "session-7f3a", "Thaifa P0 migration"));

        String original = utf8(resource(SEED_000));
        String expected = replaceOnce(original, "status: DRAFT\n", "status: ACTIVE\n");
        expected = replaceOnce(
                expected,
                "depends_on: []\n```\n",
                "depends_on: []\n"
                        + "claimed_at: 2025-12-22T02:30:00+01:00\n"
                        + "claimed_by: \"Thaifa P0 migration session\"\n"
                        + "```\n");
        expected = replaceOnce(
                expected,
                "- **Context**: 4 missions in queue being worked by different instances\n",
                "- **Context**: 4 missions in queue being worked by different instances\n"
                        + "- 02:30 - **CLAIMED** by session-7f3a (\"Thaifa P0 migration\")\n");
        assertThat(utf8(claimed.toBytes())).isEqualTo(expected);
        assertThat(claimed.toBytes()).isEqualTo(bytes(expected));

        assertThat(claimed.status()).contains("ACTIVE");
        assertThat(claimed.claimedAt()).contains(at);
        assertThat(claimed.claimedBy()).contains("Thaifa P0 migration session");
        assertThat(claimed.metadataBlock()).contains(new MetadataBlock(MetadataBlock.Form.FENCED_YAML, 3, 12));
    }

    @Test
    void aNewDayInTheMissionSeedGoesBeforeTheFooter() {
        MissionDocument doc = resourceMission(dir, SEED_000);

        MissionDocument logged = doc.withLogEntry(LocalDate.of(2025, 12, 23), "09:00 - **RESUMED**");

        String expected = replaceOnce(
                utf8(resource(SEED_000)),
                "different instances\n\n---\n",
                "different instances\n\n### 2025-12-23\n\n- 09:00 - **RESUMED**\n\n---\n");
        assertThat(utf8(logged.toBytes())).isEqualTo(expected);
    }

    @Test
    void theReportSeedsExampleLogInsideACodeBlockIsNotTheLog() {
        MissionDocument doc = resourceMission(dir, SEED_001);

        MissionDocument logged = doc.withLogEntry(LocalDate.of(2025, 12, 22), "02:31 - note");

        String expected = utf8(resource(SEED_001)) + "\n## Execution Log\n\n### 2025-12-22\n\n- 02:31 - note\n";
        assertThat(utf8(logged.toBytes())).isEqualTo(expected);
    }

    @Test
    void aFieldSetOnTheReportSeedOpensAFencedBlockUnderItsTitle() {
        MissionDocument doc = resourceMission(dir, SEED_001);

        MissionDocument edited = doc.withField("status", "QUEUED");

        String expected = replaceOnce(
                utf8(resource(SEED_001)),
                "# Mission Coordination Protocol — Design Report\n",
                "# Mission Coordination Protocol — Design Report\n\n```yaml\nstatus: QUEUED\n```\n");
        assertThat(utf8(edited.toBytes())).isEqualTo(expected);
        assertThat(edited.metadataBlock()).contains(new MetadataBlock(MetadataBlock.Form.FENCED_YAML, 3, 5));
        assertThat(edited.status()).contains("QUEUED");
    }

    static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        assertThat(at).as("'%s' occurs in the text", target).isNotNegative();
        assertThat(text.indexOf(target, at + 1)).as("'%s' occurs once", target).isNegative();
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }
}
