package dev.coord.engine.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenScanTest {
    @TempDir
    Path dir;

    private void append(String file, String text) throws IOException {
        Files.writeString(
                dir.resolve(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void withoutAnAuditLogTheCounterStartsAtOne() {
        assertThat(new TokenScan(dir).nextToken()).isEqualTo(1);
    }

    @Test
    void linesAppendedAfterAScanAreCountedAndOthersIgnored() throws IOException {
        TokenScan scan = new TokenScan(dir);
        append("audit.jsonl", "{\"event\":\"acquire\",\"token\":3}\n{\"event\":\"acquire\",\"token\":7}\n");
        assertThat(scan.nextToken()).isEqualTo(8);
        append("audit.jsonl", "{\"event\":\"register\"}\n{\"event\":\"acquire\",\"token\":12}\n{\"token\":\n");
        assertThat(scan.nextToken()).isEqualTo(13);
        append("audit.jsonl", "{\"event\":\"message\",\"details\":{\"body\":\"token\"}}\n");
        assertThat(scan.nextToken()).isEqualTo(13);
        assertThat(new TokenScan(dir).nextToken()).as("a fresh scan agrees").isEqualTo(13);
    }

    @Test
    void aRotatedOrReplacedLogIsReadAgainFromItsStart() throws IOException {
        TokenScan scan = new TokenScan(dir);
        append("audit.jsonl", "{\"token\":9}\n");
        assertThat(scan.nextToken()).isEqualTo(10);
        Files.move(dir.resolve("audit.jsonl"), dir.resolve("audit.jsonl.1"));
        append("audit.jsonl", "{\"token\":2}\n");
        assertThat(scan.nextToken()).as("the rotated part still counts").isEqualTo(10);
        Files.move(
                dir.resolve("audit.jsonl"),
                dir.resolve("audit.jsonl.1"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        append("audit.jsonl", "{\"token\":4}\n");
        assertThat(scan.nextToken()).as("token 9 was rotated away").isEqualTo(5);
        Files.delete(dir.resolve("audit.jsonl.1"));
        Files.delete(dir.resolve("audit.jsonl"));
        append("audit.jsonl", "{\"token\":1}\n");
        assertThat(scan.nextToken()).isEqualTo(2);
    }

    @Test
    void aLastLineWithoutItsNewlineCountsAndIsReadAgainWhenComplete() throws IOException {
        TokenScan scan = new TokenScan(dir);
        append("audit.jsonl", "{\"token\":5}\n{\"token\":30}");
        assertThat(scan.nextToken()).isEqualTo(31);
        append("audit.jsonl", "\n{\"token\":31}\n");
        assertThat(scan.nextToken()).isEqualTo(32);
    }

    @Test
    void aLineLongerThanOneReadIsParsedWhole() throws IOException {
        TokenScan scan = new TokenScan(dir);
        String pad = "x".repeat(3 << 20);
        append("audit.jsonl", "{\"pad\":\"" + pad + "\",\"token\":44}\n{\"token\":2}\n");
        assertThat(scan.nextToken()).isEqualTo(45);
    }
}
