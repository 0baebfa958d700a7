package dev.coord.engine.mission;

import static dev.coord.engine.mission.MissionFiles.read;
import static dev.coord.engine.mission.MissionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coord.engine.ErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file coord refuses, with the file, the line and the problem in the message. */
class MalformedMissionTest {

    @TempDir
    Path dir;

    private MissionFormatException failure(String text, int line, String problem) {
        return failure(MissionFiles.bytes(text), line, problem);
    }

    private MissionFormatException failure(byte[] bytes, int line, String problem) {
        Path file = write(dir, "missions/queue/broken.md", bytes);
        MissionFormatException e = catchThrowableOfType(MissionFormatException.class, () -> read(file));
        assertThat(e).as("reading should fail").isNotNull();
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.problem()).contains(problem);
        assertThat(e.getMessage()).isEqualTo(file + ":" + line + ": " + e.problem());
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        return e;
    }

    @Test
    void frontMatterThatDoesNotClose() {
        failure("---\nstatus: QUEUED\n\n# Title\n", 1, "front matter opened by '---' on line 1 is not closed");
    }

    @Test
    void fencedBlockThatDoesNotClose() {
        failure("# Title\n\n```yaml\nstatus: QUEUED\n\n## Context\n", 3, "```yaml metadata block opened");
    }

    @Test
    void fenceClosedByAShorterFenceDoesNotClose() {
        failure("# Title\n\n````yaml\nstatus: QUEUED\n```\n", 3, "never closed");
    }

    @Test
    void priorityThatIsNotAnInteger() {
        failure("# T\n\n```yaml\nmission_id: m\npriority: high\n```\n", 5, "priority must be an integer");
        failure("# T\n\n```yaml\npriority: 1.5\n```\n", 4, "got '1.5'");
    }

    @Test
    void priorityOutOfRange() {
        failure("```yaml\npriority: 99999999999\n```\n", 2, "priority 99999999999 is out of range");
    }

    @Test
    void claimedAtThatIsNotAnIsoTimestampWithOffset() {
        failure("```yaml\nclaimed_at: yesterday\n```\n", 2, "claimed_at must be an ISO-8601 date-time");
        failure("```yaml\n\nclaimed_at: 2025-12-22T02:30:00\n```\n", 3, "got '2025-12-22T02:30:00'");
    }

    @Test
    void dependsOnThatIsNotAList() {
        failure("```yaml\ndepends_on: other-mission\n```\n", 2, "depends_on must be a list of mission ids");
    }

    @Test
    void dependsOnAsABlockListIsReportedAsUnsupported() {
        failure(
                "```yaml\nstatus: QUEUED\ndepends_on:\n  - a\n  - b\n```\n",
                3,
                "depends_on is written as a block list ('- item' lines), which coord does not read");
    }

    @Test
    void dependsOnWithAnEmptyId() {
        failure("```yaml\ndepends_on: [a, \"\"]\n```\n", 2, "depends_on has an empty mission id");
    }

    @Test
    void dependsOnOverSeveralLines() {
        failure("```yaml\ndepends_on: [a,\n  b]\n```\n", 2, "a flow list that does not close on its line");
    }

    @Test
    void ownFieldsMustBeSingleValues() {
        failure("```yaml\nstatus: [QUEUED]\n```\n", 2, "status must be a single value, not a list");
        failure("```yaml\nclaimed_by: |\n  a session\n```\n", 2, "claimed_by is written as a block string");
        failure("```yaml\nassigned_to: {name: x}\n```\n", 2, "assigned_to is written as a flow map");
        failure("```yaml\nmission_id: \"open\n```\n", 2, "a double-quoted string that does not close");
        failure("```yaml\nstatus: ACTIVE\n  since today\n```\n", 2, "multi-line string");
        failure("```yaml\nstatus: a: b\n```\n", 2, "a nested map on one line");
        failure("```yaml\nstatus: \"bad \\q escape\"\n```\n", 2, "an invalid escape \\q");
        failure("```yaml\nstatus: \"ACTIVE\" now\n```\n", 2, "text after the closing quote");
        failure("```yaml\nstatus: *anchor\n```\n", 2, "an anchor, alias or tag");
    }

    @Test
    void aLineThatIsNotKeyValue() {
        failure("# T\n\n```yaml\nstatus: QUEUED\njust text\n```\n", 5, "not a 'key: value' line: 'just text'");
        failure("---\n- a\n- b\n---\n", 2, "not a 'key: value' line: '- a'");
        failure("---\nurl:http://x\n---\n", 2, "not a 'key: value' line");
    }

    @Test
    void aKeyGivenTwice() {
        failure(
                "```yaml\nstatus: QUEUED\npriority: 1\nstatus: ACTIVE\n```\n",
                4,
                "metadata key 'status' is already set on line 2");
    }

    @Test
    void aKeyIndentedLessThanTheFirst() {
        failure("```yaml\n  status: QUEUED\npriority: 1\n```\n", 3, "indented less than the first key (line 2)");
    }

    @Test
    void bytesThatAreNotUtf8() {
        byte[] bytes = {'#', ' ', 'T', '\n', '\n', 'x', (byte) 0xC3, '\n'};
        failure(bytes, 3, "not valid UTF-8 (bad byte sequence at byte offset 6)");
    }

    @Test
    void unsupportedConstructsInUnknownKeysAreFine() {
        Path file = write(
                dir,
                "missions/queue/fine.md",
                "```yaml\nstatus: QUEUED\nextra: [a,\n  b]\nnotes: |\n  # not a comment\n  text\nmap: {a: 1}\n```\n");

        MissionDocument doc = read(file);

        assertThat(doc.status()).contains("QUEUED");
        assertThat(doc.field("extra").orElseThrow().value()).isInstanceOf(MetadataValue.Unsupported.class);
        assertThat(doc.field("notes").orElseThrow().value())
                .isEqualTo(new MetadataValue.Unsupported("|\n  # not a comment\n  text", "a block string (| or >)"));
        assertThat(doc.field("map").orElseThrow().value()).isInstanceOf(MetadataValue.Unsupported.class);
    }
}
