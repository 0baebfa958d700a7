package dev.coord.engine.mission;

import static dev.coord.engine.mission.MissionFiles.FRONT_MATTER_CRLF_BOM;
import static dev.coord.engine.mission.MissionFiles.TEMPLATE_NO_FINAL_NEWLINE;
import static dev.coord.engine.mission.MissionFiles.mission;
import static dev.coord.engine.mission.MissionFiles.resource;
import static dev.coord.engine.mission.MissionFiles.resourceMission;
import static dev.coord.engine.mission.MissionFiles.utf8;
import static dev.coord.engine.mission.SeedCompatibilityTest.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MissionDocument#withLogEntry}: the expected bytes are written out by hand. */
class LogEntryTest {

    private static final LocalDate DAY = LocalDate.of(2026, 1, 5);
    private static final LocalDate NEXT_DAY = LocalDate.of(2026, 1, 6);

    @TempDir
    Path dir;

    private String logged(String text, LocalDate day, String line) {
        return utf8(mission(dir, "log.md", text).withLogEntry(day, line).toBytes());
    }

    @Test
    void appendsAfterTheLastItemOfAnExistingDay() {
        String text = "# M\n\n## Execution Log\n\n### 2026-01-05\n\n- 09:00 - one\n- 09:10 - two\n\n## After\n";

        assertThat(logged(text, DAY, "10:00 - three"))
                .isEqualTo("# M\n\n## Execution Log\n\n### 2026-01-05\n\n"
                        + "- 09:00 - one\n- 09:10 - two\n- 10:00 - three\n\n## After\n");
    }

    @Test
    void appendsAfterAnItemsIndentedLines() {
        String text = "## Execution Log\n\n### 2026-01-05\n\n- one\n  more of one\n\n  - nested\n\nA remark.\n";

        assertThat(logged(text, DAY, "two"))
                .isEqualTo(
                        "## Execution Log\n\n### 2026-01-05\n\n- one\n  more of one\n\n  - nested\n- two\n\nA remark.\n");
    }

    @Test
    void appendsUnderAnExistingDayHeadingWithoutItems() {
        String text = "## Execution Log\n\n### 2026-01-05\n\n### 2026-01-04\n\n- older\n";

        assertThat(logged(text, DAY, "first"))
                .isEqualTo("## Execution Log\n\n### 2026-01-05\n\n- first\n\n### 2026-01-04\n\n- older\n");
    }

    @Test
    void aDayHeadingMayCarryMoreText() {
        String text = "## Execution Log\n\n### 2026-01-05 (evening)\n\n- one\n";

        assertThat(logged(text, DAY, "two")).isEqualTo(text + "- two\n");
        assertThat(logged("## Execution Log\n\n### 2026-01-050\n\n- one\n", DAY, "two"))
                .isEqualTo("## Execution Log\n\n### 2026-01-050\n\n- one\n\n### 2026-01-05\n\n- two\n");
    }

    @Test
    void aNewDayGoesAtTheEndOfTheLogBeforeTheNextSection() {
        String text = "## Execution Log\n\n### 2026-01-05\n\n- one\n## Next\n";

        assertThat(logged(text, NEXT_DAY, "two"))
                .isEqualTo("## Execution Log\n\n### 2026-01-05\n\n- one\n\n### 2026-01-06\n\n- two\n\n## Next\n");
    }

    @Test
    void aNewDayGoesBeforeTheFooter() {
        String text = "## Execution Log\n\n> Append-only.\n\n### 2026-01-05\n\n- one\n\n---\n\n_Mission v0.0.1_\n";

        assertThat(logged(text, NEXT_DAY, "two"))
                .isEqualTo("## Execution Log\n\n> Append-only.\n\n### 2026-01-05\n\n- one\n\n"
                        + "### 2026-01-06\n\n- two\n\n---\n\n_Mission v0.0.1_\n");
    }

    @Test
    void theFirstDayGoesUnderTheSectionIntroduction() {
        assertThat(logged("# M\n\n## Execution Log\n\n> Append-only.\n\n---\n\n_footer_\n", DAY, "one"))
                .isEqualTo("# M\n\n## Execution Log\n\n> Append-only.\n\n### 2026-01-05\n\n- one\n\n---\n\n_footer_\n");
        assertThat(logged("## Execution Log\n", DAY, "one")).isEqualTo("## Execution Log\n\n### 2026-01-05\n\n- one\n");
    }

    @Test
    void aRuleBetweenDaysIsNotTheFooter() {
        String text = "## Execution Log\n\n### 2026-01-04\n\n- a\n\n---\n\n### 2026-01-05\n\n- b\n\n---\n\n_footer_\n";

        assertThat(logged(text, NEXT_DAY, "c"))
                .isEqualTo("## Execution Log\n\n### 2026-01-04\n\n- a\n\n---\n\n### 2026-01-05\n\n- b\n\n"
                        + "### 2026-01-06\n\n- c\n\n---\n\n_footer_\n");
    }

    @Test
    void headingsAndItemsInsideCodeBlocksAreIgnored() {
        String text =
                "## Execution Log\n\n### 2026-01-05\n\n- one\n\n```markdown\n### 2026-01-06\n- fake\n## Fake\n```\n";

        assertThat(logged(text, NEXT_DAY, "two")).isEqualTo(text + "\n### 2026-01-06\n\n- two\n");
        assertThat(logged(text, DAY, "two"))
                .isEqualTo("## Execution Log\n\n### 2026-01-05\n\n- one\n- two\n\n```markdown\n### 2026-01-06\n"
                        + "- fake\n## Fake\n```\n");
    }

    @Test
    void theLogSectionHeadingIsMatchedWithoutCase() {
        String text = "## execution log\n\n### 2026-01-05\n\n- one\n";

        assertThat(logged(text, DAY, "two")).isEqualTo(text + "- two\n");
    }

    @Test
    void aFileWithoutLogGetsTheSectionAtItsEnd() {
        assertThat(logged("# M\n\nText.\n", DAY, "one"))
                .isEqualTo("# M\n\nText.\n\n## Execution Log\n\n### 2026-01-05\n\n- one\n");
        assertThat(logged("# M\n\nText.\n\n", DAY, "one"))
                .isEqualTo("# M\n\nText.\n\n## Execution Log\n\n### 2026-01-05\n\n- one\n");
        assertThat(logged("", DAY, "one")).isEqualTo("## Execution Log\n\n### 2026-01-05\n\n- one\n");
    }

    @Test
    void aFileWithoutFinalNewlineKeepsItThatWay() {
        assertThat(logged("# M\n\nText.", DAY, "one"))
                .isEqualTo("# M\n\nText.\n\n## Execution Log\n\n### 2026-01-05\n\n- one");
        assertThat(logged("## Execution Log\n\n### 2026-01-05\n\n- one", DAY, "two"))
                .isEqualTo("## Execution Log\n\n### 2026-01-05\n\n- one\n- two");

        MissionDocument template = resourceMission(dir, TEMPLATE_NO_FINAL_NEWLINE);
        assertThat(utf8(template.withLogEntry(DAY, "one").toBytes()))
                .isEqualTo(utf8(resource(TEMPLATE_NO_FINAL_NEWLINE)) + "\n\n### 2026-01-05\n\n- one");
    }

    @Test
    void crlfFilesGetCrlfLines() {
        MissionDocument doc = resourceMission(dir, FRONT_MATTER_CRLF_BOM);
        String original = utf8(resource(FRONT_MATTER_CRLF_BOM));

        assertThat(utf8(doc.withLogEntry(DAY, "09:30 - two").toBytes())).isEqualTo(original + "- 09:30 - two\r\n");
        assertThat(utf8(doc.withLogEntry(NEXT_DAY, "08:00 - three").toBytes()))
                .isEqualTo(original + "\r\n### 2026-01-06\r\n\r\n- 08:00 - three\r\n");
    }

    @Test
    void logEntriesLeaveTheMetadataAlone() {
        String text = "# M\n\n```yaml\nstatus: ACTIVE\n```\n\n## Execution Log\n\n### 2026-01-05\n\n- one\n";
        MissionDocument doc = mission(dir, "log.md", text);

        MissionDocument logged = doc.withLogEntry(DAY, "two");

        assertThat(logged.fields()).isEqualTo(doc.fields());
        assertThat(utf8(logged.toBytes())).isEqualTo(replaceOnce(text, "- one\n", "- one\n- two\n"));
    }

    @Test
    void aLogLineMustBeOneNonBlankLine() {
        MissionDocument doc = mission(dir, "log.md", "## Execution Log\n");

        for (String line : List.of("", "  ", "two\nlines", "carriage\rreturn")) {
            assertThatThrownBy(() -> doc.withLogEntry(DAY, line))
                    .as("line '%s'", line)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("log line must be one non-blank line");
        }
    }
}
