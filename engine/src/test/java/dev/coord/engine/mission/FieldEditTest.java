package dev.coord.engine.mission;

import static dev.coord.engine.mission.MissionFiles.FRONT_MATTER_CRLF_BOM;
import static dev.coord.engine.mission.MissionFiles.TEMPLATE_NO_FINAL_NEWLINE;
import static dev.coord.engine.mission.MissionFiles.bytes;
import static dev.coord.engine.mission.MissionFiles.mission;
import static dev.coord.engine.mission.MissionFiles.resource;
import static dev.coord.engine.mission.MissionFiles.resourceMission;
import static dev.coord.engine.mission.MissionFiles.utf8;
import static dev.coord.engine.mission.SeedCompatibilityTest.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MissionDocument#withField}: the expected bytes are written out by hand. */
class FieldEditTest {

    @TempDir
    Path dir;

    private static final String HEAD = "# Mission\n\n```yaml\n";
    private static final String TAIL = "```\n\n## Context\n\nText.\n";

    private MissionDocument fenced(String metadataLines) {
        return mission(dir, "m.md", HEAD + metadataLines + TAIL);
    }

    private static void assertBytes(MissionDocument doc, String expected) {
        assertThat(utf8(doc.toBytes())).isEqualTo(expected);
        assertThat(doc.toBytes()).isEqualTo(bytes(expected));
    }

    @Test
    void replacesAValueInPlaceKeepingItsComment() {
        MissionDocument doc = fenced("mission_id: m\nstatus: QUEUED   # QUEUED | ACTIVE | DONE\npriority: 2\n");

        MissionDocument edited = doc.withField("status", "ACTIVE");

        assertBytes(edited, HEAD + "mission_id: m\nstatus: ACTIVE   # QUEUED | ACTIVE | DONE\npriority: 2\n" + TAIL);
        assertThat(edited.status()).contains("ACTIVE");
        assertThat(doc.status()).as("the original document is unchanged").contains("QUEUED");
    }

    @Test
    void keepsIndentationAndSpacingAfterTheColon() {
        MissionDocument doc = fenced("  status:    QUEUED\n  priority:\t2\n");

        assertBytes(doc.withField("status", "DONE"), HEAD + "  status:    DONE\n  priority:\t2\n" + TAIL);
        assertBytes(doc.withField("priority", "10"), HEAD + "  status:    QUEUED\n  priority:\t10\n" + TAIL);
    }

    @Test
    void fillsAnEmptyValueBeforeItsComment() {
        MissionDocument doc = resourceMission(dir, TEMPLATE_NO_FINAL_NEWLINE);

        MissionDocument edited =
                doc.withField("claimed_at", "2026-01-06T10:00:00+01:00").withField("claimed_by", "session A");

        String expected = replaceOnce(
                utf8(resource(TEMPLATE_NO_FINAL_NEWLINE)),
                "claimed_at:     # Filled when claimed\nclaimed_by:     # Description",
                "claimed_at: 2026-01-06T10:00:00+01:00     # Filled when claimed\n"
                        + "claimed_by: session A     # Description");
        assertBytes(edited, expected);
    }

    @Test
    void replacesANullWord() {
        MissionDocument doc = fenced("status: ~ # none yet\n");

        assertBytes(doc.withField("status", "QUEUED"), HEAD + "status: QUEUED # none yet\n" + TAIL);
    }

    @Test
    void keepsTheQuoteStyleOfTheOldValue() {
        MissionDocument doc = fenced("claimed_by: \"old\"  # who\nassigned_to: 'old'\n");

        assertBytes(
                doc.withField("claimed_by", "new session").withField("assigned_to", "Omar's"),
                HEAD + "claimed_by: \"new session\"  # who\nassigned_to: 'Omar''s'\n" + TAIL);
    }

    @Test
    void singleQuotesFallBackToDoubleQuotesForLineBreaks() {
        MissionDocument doc = fenced("assigned_to: 'old'\n");

        MissionDocument edited = doc.withField("assigned_to", "two\nlines");

        assertBytes(edited, HEAD + "assigned_to: \"two\\nlines\"\n" + TAIL);
        assertThat(edited.assignedTo()).contains("two\nlines");
    }

    @Test
    void quotesValuesThatNeedIt() {
        MissionDocument doc = fenced("mission_id: m\n");
        List<List<String>> cases = List.of(
                List.of("a: b", "\"a: b\""),
                List.of("issue #12", "\"issue #12\""),
                List.of("[not a list]", "\"[not a list]\""),
                List.of("- dash", "\"- dash\""),
                List.of("* star", "\"* star\""),
                List.of("'quoted'", "\"'quoted'\""),
                List.of("\"quoted\"", "\"\\\"quoted\\\"\""),
                List.of("null", "\"null\""),
                List.of("~", "\"~\""),
                List.of("", "\"\""),
                List.of(" padded ", "\" padded \""),
                List.of("ends with:", "\"ends with:\""),
                List.of("back\\slash: x", "\"back\\\\slash: x\""),
                List.of("tab\there", "\"tab\\there\""),
                List.of("bell\u0007", "\"bell\\u0007\""),
                List.of("Thaifa P0 migration", "Thaifa P0 migration"),
                List.of("2025-12-22T02:30:00+01:00", "2025-12-22T02:30:00+01:00"),
                List.of("-1", "-1"),
                List.of("https://example.org/a", "https://example.org/a"),
                List.of("Réunion ✓", "Réunion ✓"));
        for (List<String> c : cases) {
            MissionDocument edited = doc.withField("note", c.get(0));

            assertBytes(edited, HEAD + "mission_id: m\nnote: " + c.get(1) + "\n" + TAIL);
            assertThat(edited.field("note").orElseThrow().value())
                    .as("reads back %s", c.get(1))
                    .isEqualTo(new MetadataValue.Scalar(c.get(0)));
        }
    }

    @Test
    void quotingAlwaysUsesDoubleQuotes() {
        MissionDocument doc = fenced("claimed_by: old\n");

        assertBytes(
                doc.withField("claimed_by", "session", MissionDocument.Quoting.ALWAYS),
                HEAD + "claimed_by: \"session\"\n" + TAIL);
    }

    @Test
    void addsAMissingKeyAtTheEndOfTheFencedBlock() {
        MissionDocument doc = fenced("mission_id: m\n# trailing comment\n\n");

        MissionDocument edited = doc.withField("claimed_at", "2026-01-06T10:00:00+01:00");

        assertBytes(
                edited, HEAD + "mission_id: m\n# trailing comment\nclaimed_at: 2026-01-06T10:00:00+01:00\n\n" + TAIL);
        assertThat(edited.metadataBlock()).contains(new MetadataBlock(MetadataBlock.Form.FENCED_YAML, 3, 8));
    }

    @Test
    void aMissingKeyTakesTheIndentationOfTheOthers() {
        MissionDocument doc = fenced("  status: QUEUED\n");

        assertBytes(doc.withField("priority", "3"), HEAD + "  status: QUEUED\n  priority: 3\n" + TAIL);
    }

    @Test
    void addsAMissingKeyToFrontMatter() {
        MissionDocument doc = mission(dir, "fm.md", "---\nstatus: QUEUED\n---\n# T\n");

        assertBytes(doc.withField("priority", "5"), "---\nstatus: QUEUED\npriority: 5\n---\n# T\n");
    }

    @Test
    void addsAKeyToAnEmptyBlock() {
        MissionDocument doc = mission(dir, "fm.md", "---\n---\n# T\n");

        assertBytes(doc.withField("status", "QUEUED"), "---\nstatus: QUEUED\n---\n# T\n");
    }

    @Test
    void aFileWithoutMetadataGetsAFencedBlockAfterItsTitle() {
        MissionDocument doc = mission(dir, "new.md", "# New mission\nBody right below.\n");

        MissionDocument edited = doc.withField("status", "QUEUED");

        assertBytes(edited, "# New mission\n\n```yaml\nstatus: QUEUED\n```\n\nBody right below.\n");
        assertThat(edited.metadataBlock()).contains(new MetadataBlock(MetadataBlock.Form.FENCED_YAML, 3, 5));
    }

    @Test
    void aFileWithoutTitleBeforeItsFirstSectionGetsTheBlockAtTheTop() {
        assertBytes(
                mission(dir, "a.md", "Notes.\n").withField("status", "QUEUED"),
                "```yaml\nstatus: QUEUED\n```\n\nNotes.\n");
        assertBytes(
                mission(dir, "a.md", "Notes.\n\n# Later title\n").withField("status", "QUEUED"),
                "Notes.\n\n# Later title\n\n```yaml\nstatus: QUEUED\n```\n");
        assertBytes(
                mission(dir, "b.md", "## Context\n\n# Title after a section\n").withField("status", "QUEUED"),
                "```yaml\nstatus: QUEUED\n```\n\n## Context\n\n# Title after a section\n");
        assertBytes(mission(dir, "c.md", "").withField("status", "QUEUED"), "```yaml\nstatus: QUEUED\n```\n");
    }

    @Test
    void aTitleWithoutFinalNewlineStaysWithoutOne() {
        assertBytes(
                mission(dir, "t.md", "# Only a title").withField("status", "QUEUED"),
                "# Only a title\n\n```yaml\nstatus: QUEUED\n```");
    }

    @Test
    void crlfFileWithByteOrderMark() {
        MissionDocument doc = resourceMission(dir, FRONT_MATTER_CRLF_BOM);

        MissionDocument edited = doc.withField("status", "ACTIVE").withField("claimed_by", "session B");

        byte[] original = resource(FRONT_MATTER_CRLF_BOM);
        String expected = replaceOnce(
                utf8(original),
                "status: QUEUED   # QUEUED | ACTIVE | DONE\r\n",
                "status: ACTIVE   # QUEUED | ACTIVE | DONE\r\n");
        expected = replaceOnce(expected, "  of text.\r\n---\r\n", "  of text.\r\nclaimed_by: session B\r\n---\r\n");
        assertBytes(edited, expected);
        assertThat(Arrays.copyOf(edited.toBytes(), 3)).isEqualTo(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        assertThat(edited.hasByteOrderMark()).isTrue();
    }

    @Test
    void unknownKeysCommentsAndUnsupportedValuesSurviveAnEdit() {
        MissionDocument doc = resourceMission(dir, FRONT_MATTER_CRLF_BOM);

        MissionDocument edited = doc.withField("priority", "1");

        String expected = replaceOnce(utf8(resource(FRONT_MATTER_CRLF_BOM)), "priority: 3\r\n", "priority: 1\r\n");
        assertBytes(edited, expected);
        assertThat(edited.fields().subList(4, 7)).isEqualTo(doc.fields().subList(4, 7));
    }

    @Test
    void replacingAValueSpreadOverLinesRemovesItsOtherLines() {
        MissionDocument doc = fenced("tags:   # labels\n  - a\n\n  - b\nstatus: QUEUED\nnote: >\n  folded\n");

        MissionDocument edited =
                doc.withListField("tags", List.of("a", "b c", "d,e")).withField("note", "one line");

        assertBytes(edited, HEAD + "tags: [a, b c, \"d,e\"]   # labels\nstatus: QUEUED\nnote: one line\n" + TAIL);
        assertThat(edited.field("tags").orElseThrow().value())
                .isEqualTo(new MetadataValue.FlowList(List.of("a", "b c", "d,e")));
    }

    @Test
    void listFieldReplacesAListAndWritesAnEmptyOne() {
        MissionDocument doc = fenced("depends_on: [x]\n");

        assertBytes(doc.withListField("depends_on", List.of()), HEAD + "depends_on: []\n" + TAIL);
    }

    @Test
    void aValueThatWouldMakeTheFileInvalidIsRefused() {
        MissionDocument doc = fenced("priority: 2\n");

        assertThatThrownBy(() -> doc.withField("priority", "urgent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot set priority to urgent")
                .hasMessageContaining("priority must be an integer");
        assertThatThrownBy(() -> doc.withField("claimed_at", "now"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claimed_at must be an ISO-8601 date-time");
        assertThatThrownBy(() -> doc.withField("depends_on", "other"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("depends_on must be a list");
        assertThatThrownBy(() -> doc.withListField("status", List.of("A")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("status must be a single value");
    }

    @Test
    void badKeysAndValuesAreRefused() {
        MissionDocument doc = fenced("status: QUEUED\n");

        for (String key : List.of("", "has space", "-dash", ".dot", "a:b", "#x", "é")) {
            assertThatThrownBy(() -> doc.withField(key, "v"))
                    .as("key '%s'", key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("metadata key must be");
        }
        assertThatThrownBy(() -> doc.withField("status", "bad \uD800 surrogate"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
    }
}
