package dev.coord.engine.mission;

import static dev.coord.engine.mission.MissionFiles.mission;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever text is written, the parser reads the same text back, in every quote style. */
class YamlWriterTest {

    private static final List<String> TRICKY = List.of(
            "plain",
            "two words",
            "",
            " ",
            "a: b",
            "a:b",
            "ends:",
            "#start",
            "mid # comment",
            "mid#hash",
            "'single'",
            "\"double\"",
            "it's",
            "back\\slash",
            "\\n literal",
            "line\nbreak",
            "cr\rlf\r\n",
            "tab\t",
            "nul\0",
            "del\u007F",
            "nel\u0085 ls\u2028 ps\u2029 bom\uFEFF",
            "- item",
            "-",
            "-1",
            "? q",
            ": c",
            "[a, b]",
            "{a: 1}",
            "&anchor",
            "*alias",
            "!tag",
            "|",
            ">",
            "%",
            "@",
            "`",
            "~",
            "null",
            "NULL",
            "true",
            "2025-12-22",
            "2025-12-22T02:30:00+01:00",
            "emoji 🚀",
            "x,y",
            "]");

    @TempDir
    Path dir;

    @Test
    void scalarsReadBackAsWritten() {
        MissionDocument doc = mission(dir, "w.md", "```yaml\nplain: x\ndouble: \"x\"\nsingle: 'x'\n```\n");
        for (String key : List.of("plain", "double", "single", "added")) {
            for (MissionDocument.Quoting quoting : MissionDocument.Quoting.values()) {
                for (String value : TRICKY) {
                    MissionDocument edited = doc.withField(key, value, quoting);

                    assertThat(edited.field(key).orElseThrow().value())
                            .as("%s = [%s] with %s", key, value, quoting)
                            .isEqualTo(new MetadataValue.Scalar(value));
                    assertThat(edited.fields()).hasSize(key.equals("added") ? 4 : 3);
                }
            }
        }
    }

    @Test
    void listItemsReadBackAsWritten() {
        MissionDocument doc = mission(dir, "w.md", "```yaml\nlist: []\n```\n");

        MissionDocument edited = doc.withListField("list", TRICKY);

        assertThat(edited.field("list").orElseThrow().value()).isEqualTo(new MetadataValue.FlowList(TRICKY));
    }

    @Test
    void plainOnlyWhenSafe() {
        assertThat(YamlWriter.isSafePlain("Claude Code")).isTrue();
        assertThat(YamlWriter.isSafePlain("2025-12-22T02:30:00+01:00")).isTrue();
        assertThat(YamlWriter.isSafePlain("-5")).isTrue();
        assertThat(YamlWriter.isSafePlain("a #b")).isFalse();
        assertThat(YamlWriter.isSafePlain("a: b")).isFalse();
        assertThat(YamlWriter.isSafePlain("- a")).isFalse();
        assertThat(YamlWriter.isSafePlain("~")).isFalse();
        assertThat(YamlWriter.isSafePlain("")).isFalse();
    }
}
