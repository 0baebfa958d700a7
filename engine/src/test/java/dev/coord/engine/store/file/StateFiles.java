package dev.coord.engine.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.coord.engine.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Checks on the files of a state directory as another process would find them. */
final class StateFiles {
    private StateFiles() {}

    /**
     * Asserts that registry.json, locks.json and missions.json (where present) are whole JSON objects of the known schema version,
     * and that every line of decisions.jsonl parses, except {@code skippedDecisionLines} of them.
     */
    static void assertAllParse(Path dir, int skippedDecisionLines) throws IOException {
        for (String name : List.of("registry.json", "locks.json", "missions.json")) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                assertThatCode(() -> {
                            JsonNode doc = Json.mapper().readTree(Files.readAllBytes(file));
                            assertThat(doc.isObject())
                                    .as(name + " is an object")
                                    .isTrue();
                            assertThat(doc.get("schemaVersion").asInt())
                                    .as(name + " schemaVersion")
                                    .isEqualTo(1);
                        })
                        .as(name + " parses")
                        .doesNotThrowAnyException();
            }
        }
        Path decisions = dir.resolve("decisions.jsonl");
        int bad = 0;
        if (Files.exists(decisions)) {
            for (String line : Files.readAllLines(decisions, StandardCharsets.UTF_8)) {
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    JsonNode node = Json.mapper().readTree(line);
                    if (!node.isObject() || node.get("id") == null) {
                        bad++;
                    }
                } catch (RuntimeException e) {
                    bad++;
                }
            }
        }
        assertThat(bad).as("unparsable lines in decisions.jsonl").isEqualTo(skippedDecisionLines);
    }
}
