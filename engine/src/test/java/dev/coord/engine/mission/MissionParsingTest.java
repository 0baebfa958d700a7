package dev.coord.engine.mission;

import static dev.coord.engine.mission.MissionFiles.FRONT_MATTER_CRLF_BOM;
import static dev.coord.engine.mission.MissionFiles.TEMPLATE_NO_FINAL_NEWLINE;
import static dev.coord.engine.mission.MissionFiles.mission;
import static dev.coord.engine.mission.MissionFiles.resourceMission;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissionParsingTest {

    @TempDir
    Path dir;

    @Test
    void frontMatterBlock() {
        MissionDocument doc = mission(
                dir,
                "fm.md",
                "---\n"
                        + "mission_id: fm-1\n"
                        + "status: QUEUED\n"
                        + "priority: 2\n"
                        + "depends_on: [a, b]\n"
                        + "---\n"
                        + "# Front matter mission\n");

        assertThat(doc.metadataBlock()).contains(new MetadataBlock(MetadataBlock.Form.FRONT_MATTER, 1, 6));
        assertThat(doc.missionId()).isEqualTo("fm-1");
        assertThat(doc.status()).contains("QUEUED");
        assertThat(doc.priority()).isEqualTo(2);
        assertThat(doc.dependsOn()).containsExactly("a", "b");
        assertThat(doc.title()).isEqualTo("Front matter mission");
    }

    @Test
    void fencedBlockAfterTheTitleInAnyAcceptedSpelling() {
        for (String opening : List.of("```yaml", "```yml", "```YAML", "~~~yaml", "````yaml title=meta")) {
            String closing = opening.substring(0, opening.startsWith("````") ? 4 : 3);
            MissionDocument doc = mission(
                    dir, "fenced.md", "# Fenced\n\n" + opening + "\nstatus: ACTIVE\n" + closing + "\n\n## Context\n");

            assertThat(doc.metadataBlock())
                    .as(opening)
                    .contains(new MetadataBlock(MetadataBlock.Form.FENCED_YAML, 3, 5));
            assertThat(doc.status()).as(opening).contains("ACTIVE");
        }
    }

    @Test
    void aYamlBlockAfterTheFirstLevelTwoHeadingIsNotMetadata() {
        MissionDocument doc = mission(dir, "late.md", "# Late\n\n## Context\n\n```yaml\nstatus: ACTIVE\n```\n");

        assertThat(doc.metadataBlock()).isEmpty();
        assertThat(doc.status()).isEmpty();
    }

    @Test
    void otherCodeBlocksBeforeTheMetadataAreSkipped() {
        MissionDocument doc = mission(
                dir, "skip.md", "# Skip\n\n```text\n## not a heading\n```yaml\n```\n\n```yaml\nstatus: DONE\n```\n");

        assertThat(doc.metadataBlock()).contains(new MetadataBlock(MetadataBlock.Form.FENCED_YAML, 8, 10));
        assertThat(doc.status()).contains("DONE");
    }

    @Test
    void aFileWithoutMetadataGetsTheDefaults() {
        MissionDocument doc = mission(dir, "2026-01-01-plain.md", "Just some notes.\n");

        assertThat(doc.metadataBlock()).isEmpty();
        assertThat(doc.missionId()).isEqualTo("2026-01-01-plain");
        assertThat(doc.title()).isEqualTo("2026-01-01-plain");
        assertThat(doc.status()).isEmpty();
        assertThat(doc.assignedTo()).isEmpty();
        assertThat(doc.created()).isEmpty();
        assertThat(doc.priority()).isEqualTo(MissionFormat.DEFAULT_PRIORITY);
        assertThat(doc.dependsOn()).isEmpty();
        assertThat(doc.claimedAt()).isEmpty();
        assertThat(doc.objectives()).isEmpty();
    }

    @Test
    void anEmptyFileIsAMissionWithDefaults() {
        MissionDocument doc = mission(dir, "empty.md", "");

        assertThat(doc.missionId()).isEqualTo("empty");
        assertThat(doc.metadataBlock()).isEmpty();
        assertThat(doc.toBytes()).isEmpty();
    }

    @Test
    void emptyAndNullValuesCountAsMissing() {
        MissionDocument doc = mission(
                dir,
                "nulls.md",
                "```yaml\nmission_id:\nstatus: ~\npriority: null\nclaimed_at:     # Filled when claimed\n"
                        + "claimed_by: \"\"\ndepends_on:\n```\n");

        assertThat(doc.missionId()).isEqualTo("nulls");
        assertThat(doc.status()).isEmpty();
        assertThat(doc.priority()).isEqualTo(MissionFormat.DEFAULT_PRIORITY);
        assertThat(doc.claimedAt()).isEmpty();
        assertThat(doc.claimedBy()).isEmpty();
        assertThat(doc.dependsOn()).isEmpty();
        assertThat(doc.field("claimed_at")).map(MetadataField::value).contains(new MetadataValue.Empty());
    }

    @Test
    void quotedValuesAreUnquotedAndUnescaped() {
        MissionDocument doc = mission(
                dir,
                "quotes.md",
                "```yaml\n"
                        + "claimed_by: \"Thaifa P0: \\\"migration\\\" \\u00e9\\t# not a comment\"  # a comment\n"
                        + "assigned_to: 'Omar''s session'\n"
                        + "status: \"ACTIVE\"\n"
                        + "depends_on: [plain, \"with, comma\", 'single']\n"
                        + "claimed_at: \"2025-12-22T02:30:00+01:00\"\n"
                        + "```\n");

        assertThat(doc.claimedBy()).contains("Thaifa P0: \"migration\" é\t# not a comment");
        assertThat(doc.assignedTo()).contains("Omar's session");
        assertThat(doc.status()).contains("ACTIVE");
        assertThat(doc.dependsOn()).containsExactly("plain", "with, comma", "single");
        assertThat(doc.claimedAt()).contains(OffsetDateTime.of(2025, 12, 22, 2, 30, 0, 0, ZoneOffset.ofHours(1)));
    }

    @Test
    void plainValuesLoseTheirCommentAndTrailingBlanks() {
        MissionDocument doc = mission(
                dir,
                "plain.md",
                "```yaml\nstatus: ACTIVE   # QUEUED | ACTIVE | DONE\nassigned_to: Claude#Code \npriority: +7 # high\n```\n");

        assertThat(doc.status()).contains("ACTIVE");
        assertThat(doc.assignedTo()).contains("Claude#Code");
        assertThat(doc.priority()).isEqualTo(7);
    }

    @Test
    void claimedAtInUtc() {
        MissionDocument doc = mission(dir, "utc.md", "```yaml\nclaimed_at: 2025-12-22T01:30:00Z\n```\n");

        assertThat(doc.claimedAt()).contains(OffsetDateTime.of(2025, 12, 22, 1, 30, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void unknownKeysAndConstructsOutsideTheSubsetAreKept() {
        MissionDocument doc = resourceMission(dir, FRONT_MATTER_CRLF_BOM);

        assertThat(doc.hasByteOrderMark()).isTrue();
        assertThat(doc.metadataBlock()).contains(new MetadataBlock(MetadataBlock.Form.FRONT_MATTER, 1, 16));
        assertThat(doc.missionId()).isEqualTo("2026-01-05-crlf-front-matter");
        assertThat(doc.status()).contains("QUEUED");
        assertThat(doc.priority()).isEqualTo(3);
        assertThat(doc.dependsOn()).containsExactly("2025-12-22-multi-instance-coordination", "other mission");
        assertThat(doc.fields())
                .extracting(MetadataField::key)
                .containsExactly("mission_id", "status", "priority", "depends_on", "owner", "tags", "note");
        assertThat(doc.field("owner"))
                .contains(new MetadataField(
                        "owner",
                        7,
                        new MetadataValue.Unsupported(
                                "\n  name: Omar\n  team: core".strip(),
                                "a nested map or a value on the following lines")));
        assertThat(doc.field("tags"))
                .contains(new MetadataField(
                        "tags",
                        10,
                        new MetadataValue.Unsupported("- coordination\n- windows", "a block list ('- item' lines)")));
        assertThat(doc.field("note").orElseThrow().value())
                .isEqualTo(new MetadataValue.Unsupported("|\n  Two lines\n  of text.", "a block string (| or >)"));
        assertThat(doc.title()).isEqualTo("CRLF mission with front matter");
        assertThat(doc.objectives())
                .containsExactly(
                        new Objective("**O1**: Read front matter", true, 22),
                        new Objective("**O2**: Keep CRLF", false, 23));
    }

    @Test
    void templateWithEmptyClaimFields() {
        MissionDocument doc = resourceMission(dir, TEMPLATE_NO_FINAL_NEWLINE);

        assertThat(doc.missionId()).isEqualTo("2026-01-06-template");
        assertThat(doc.claimedAt()).isEmpty();
        assertThat(doc.claimedBy()).isEmpty();
        assertThat(doc.fields()).extracting(MetadataField::line).containsExactly(4, 5, 6, 7, 8, 9);
    }

    @Test
    void titleSkipsCodeBlocksAndMetadataCommentsAndDropsClosingHashes() {
        MissionDocument doc = mission(
                dir,
                "title.md",
                "---\n# a YAML comment, not a title\nstatus: QUEUED\n---\n\n```\n# code\n```\n\n#   The real title ##\n");

        assertThat(doc.title()).isEqualTo("The real title");
    }

    @Test
    void objectivesOnlyFromTheObjectivesSectionAndNotFromCode() {
        MissionDocument doc = mission(
                dir,
                "objectives.md",
                "# O\n\n- [ ] before the section\n\n## objectives\n\n### Phase 1\n\n"
                        + "- [x] done one\n  * [X] nested done\n+ [ ] plus item\n- [ ]\n- [] not a box\n"
                        + "```\n- [ ] in code\n```\n\n## Next\n\n- [ ] after the section\n");

        assertThat(doc.objectives())
                .containsExactly(
                        new Objective("done one", true, 9),
                        new Objective("nested done", true, 10),
                        new Objective("plus item", false, 11));
    }

    @Test
    void objectivesAreCapped() {
        String items = IntStream.rangeClosed(1, MissionFormat.MAX_OBJECTIVES + 5)
                .mapToObj(i -> "- [ ] objective " + i + "\n")
                .collect(Collectors.joining());
        MissionDocument doc = mission(dir, "many.md", "# Many\n\n## Objectives\n\n" + items);

        assertThat(doc.objectives()).hasSize(MissionFormat.MAX_OBJECTIVES);
        assertThat(doc.objectives().get(MissionFormat.MAX_OBJECTIVES - 1).text())
                .isEqualTo("objective " + MissionFormat.MAX_OBJECTIVES);
    }

    @Test
    void commentsBlankLinesAndIndentedKeysInsideTheBlock() {
        MissionDocument doc = mission(
                dir,
                "indented.md",
                "# I\n\n  ```yaml\n  # who\n\n  status: ACTIVE\n    # indented comment\n  priority: 4\n  ```\n");

        assertThat(doc.status()).contains("ACTIVE");
        assertThat(doc.priority()).isEqualTo(4);
        assertThat(doc.fields()).extracting(MetadataField::line).containsExactly(6, 8);
    }

    @Test
    void missionIdFromFileNameWithoutMetadataId() {
        MissionDocument doc = mission(dir, "2026-02-01-from-name.md", "```yaml\nstatus: QUEUED\n```\n");

        assertThat(doc.missionId()).isEqualTo("2026-02-01-from-name");
    }
}
