package dev.coord.engine.mission;

import static dev.coord.engine.mission.MissionFiles.FRONT_MATTER_CRLF_BOM;
import static dev.coord.engine.mission.MissionFiles.TEMPLATE_NO_FINAL_NEWLINE;
import static dev.coord.engine.mission.MissionFiles.mission;
import static dev.coord.engine.mission.MissionFiles.resource;
import static dev.coord.engine.mission.MissionFiles.resourceMission;
import static dev.coord.engine.mission.MissionFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MissionDocument#withoutValue}: the expected bytes are written out by hand. */
class ValueRemovalTest {

    @TempDir
    Path dir;

    private static final String HEAD = "# Mission\n\n```yaml\n";
    private static final String TAIL = "```\n\n## Context\n\nText.\n";

    @Test
    void removesTheValueAndKeepsTheComment() {
        MissionDocument doc = mission(dir, "m.md", HEAD + "status: ACTIVE\nclaimed_by: claude-x   # who\n" + TAIL);

        MissionDocument edited = doc.withoutValue("claimed_by");

        assertThat(utf8(edited.toBytes())).isEqualTo(HEAD + "status: ACTIVE\nclaimed_by:   # who\n" + TAIL);
        assertThat(edited.claimedBy()).isEmpty();
    }

    @Test
    void removesAValueWithoutCommentDownToTheColon() {
        MissionDocument doc = mission(dir, "m.md", HEAD + "claimed_at: 2026-01-06T10:00:00+01:00\nx: 1\n" + TAIL);

        assertThat(utf8(doc.withoutValue("claimed_at").toBytes())).isEqualTo(HEAD + "claimed_at:\nx: 1\n" + TAIL);
    }

    @Test
    void removesQuotedValues() {
        MissionDocument doc = mission(dir, "m.md", HEAD + "claimed_by: \"Thaifa: P0\"\n" + TAIL);

        assertThat(utf8(doc.withoutValue("claimed_by").toBytes())).isEqualTo(HEAD + "claimed_by:\n" + TAIL);
    }

    @Test
    void fillingThenEmptyingTheTemplateGivesBackItsBytes() {
        MissionDocument template = resourceMission(dir, TEMPLATE_NO_FINAL_NEWLINE);

        MissionDocument round = template.withField("claimed_at", "2026-01-06T10:00:00+01:00")
                .withField("claimed_by", "claude-20260106-090000-0123abcd")
                .withoutValue("claimed_at")
                .withoutValue("claimed_by");

        assertThat(round.toBytes()).isEqualTo(resource(TEMPLATE_NO_FINAL_NEWLINE));
    }

    @Test
    void keepsCrlfAndTheByteOrderMark() {
        MissionDocument doc = resourceMission(dir, FRONT_MATTER_CRLF_BOM);
        MissionDocument claimed = doc.withField("claimed_by", "claude-20260106-090000-0123abcd");

        MissionDocument emptied = claimed.withoutValue("claimed_by");

        assertThat(emptied.hasByteOrderMark()).isTrue();
        assertThat(utf8(emptied.toBytes())).contains("\r\nclaimed_by:\r\n").doesNotContain("claude-2026");
    }

    @Test
    void aMissingOrEmptyKeyLeavesTheDocumentAlone() {
        MissionDocument doc = mission(dir, "m.md", HEAD + "status: QUEUED\nclaimed_at:   # later\n" + TAIL);

        assertThat(doc.withoutValue("claimed_by").toBytes()).isEqualTo(doc.toBytes());
        assertThat(doc.withoutValue("claimed_at").toBytes()).isEqualTo(doc.toBytes());
    }

    @Test
    void refusesABadKey() {
        MissionDocument doc = mission(dir, "m.md", HEAD + "status: QUEUED\n" + TAIL);

        assertThatThrownBy(() -> doc.withoutValue("-bad")).isInstanceOf(IllegalArgumentException.class);
    }
}
