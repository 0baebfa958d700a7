package dev.coord.engine.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.Decision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** The decision log keeps an index and reads decisions back from the file: queries over many batches stay exact. */
class DecisionLogTest {
    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static Decision decision(int i) {
        String category = i % 3 == 0 ? "api" : i % 3 == 1 ? "Build" : "tests";
        String title = "decision " + i + (i % 7 == 0 ? " about the Parser" : "")
                + (i % 11 == 0 ? " with a \"quoted\" word" : "");
        return new Decision(
                String.format(Locale.ROOT, "DEC-20261121-%04d", i + 1),
                category,
                title,
                i % 13 == 0 ? "Σ and é in the text, parser too" : "because " + i,
                null,
                i % 5 == 0 ? List.of("perf", "parser") : List.of(),
                "claude-a",
                null,
                T0.plusSeconds(i),
                i > 0 && i % 50 == 0 ? String.format(Locale.ROOT, "DEC-20261121-%04d", i) : null);
    }

    private List<Decision> write(int n) throws IOException {
        List<Decision> all = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Decision d = decision(i);
            all.add(d);
            ObjectNode line = Json.mapper().createObjectNode();
            line.put("schemaVersion", DecisionLog.VERSION);
            line.setAll((ObjectNode) Json.mapper().valueToTree(d));
            text.append(Json.mapper().writeValueAsString(line)).append('\n');
            if (i == 400) {
                text.append("{ torn by a crash\n");
            }
        }
        Files.writeString(dir.resolve("decisions.jsonl"), text, StandardCharsets.UTF_8);
        return all;
    }

    private static List<String> naive(List<Decision> all, Predicate<Decision> test, int limit) {
        List<String> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            if (test.test(all.get(i))) {
                out.add(all.get(i).id());
            }
        }
        return out;
    }

    @Test
    void queriesOverManyBatchesMatchAFullScan() throws IOException {
        List<Decision> all = write(1000);
        DecisionLog log = new DecisionLog(dir.resolve("decisions.jsonl"));
        assertThat(log.size()).isEqualTo(1000);
        assertThat(log.skippedLines()).isEqualTo(1);

        assertThat(log.newest(e -> "build".equalsIgnoreCase(e.category), d -> true, 20))
                .extracting(Decision::id)
                .containsExactlyElementsOf(naive(all, d -> d.category().equals("Build"), 20));
        Predicate<Decision> parser =
                d -> (d.title() + "\n" + d.description() + "\n" + d.category() + "\n" + String.join(" ", d.tags()))
                        .toLowerCase(Locale.ROOT)
                        .contains("parser");
        assertThat(log.newest(e -> true, line -> line.contains("parser"), parser, 500))
                .extracting(Decision::id)
                .containsExactlyElementsOf(naive(all, parser, 500));
        Instant since = T0.plusSeconds(700);
        assertThat(log.newest(e -> e.madeAtOrAfter(since), d -> true, 1000))
                .extracting(Decision::id)
                .containsExactlyElementsOf(naive(all, d -> !d.createdAt().isBefore(since), 1000));
        assertThat(log.byId("DEC-20261121-0005")).get().isEqualTo(all.get(4));
        assertThat(log.byId("DEC-20261121-9999")).isEmpty();
        assertThat(log.supersededBy(List.of("DEC-20261121-0050", "DEC-20261121-0001")))
                .isEqualTo(Map.of("DEC-20261121-0050", "DEC-20261121-0051"));
        assertThat(log.all()).containsExactlyElementsOf(all);
    }

    @Test
    void decisionsAppendedByAnotherProcessAreIndexedIncrementally() throws IOException {
        List<Decision> all = write(300);
        DecisionLog log = new DecisionLog(dir.resolve("decisions.jsonl"));
        assertThat(log.size()).isEqualTo(300);
        Decision extra = decision(300);
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("schemaVersion", DecisionLog.VERSION);
        line.setAll((ObjectNode) Json.mapper().valueToTree(extra));
        Files.writeString(
                dir.resolve("decisions.jsonl"),
                Json.mapper().writeValueAsString(line) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertThat(log.newest(e -> true, d -> true, 2)).containsExactly(extra, all.get(299));
    }

    @Test
    void idsOfEveryShapeComeBackAsWritten() throws IOException {
        List<String> ids = List.of(
                "DEC-20261121-0001",
                "DEC-20261121-12345",
                "DEC-20261121-123456789",
                "DEC-20261121-00001",
                "DEC-20261121-1",
                "DEC-2026112-0001",
                "DEC-20261121-1234567890",
                "dec-20261121-0001",
                "DEC-20261121_0001",
                "DEC-2026112x-0001",
                "ADR-7");
        StringBuilder text = new StringBuilder();
        List<Decision> all = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Decision d = new Decision(
                    ids.get(i),
                    "c",
                    "t" + i,
                    "d",
                    null,
                    List.of(),
                    "claude-a",
                    null,
                    T0.plusSeconds(i).plusNanos(i == 3 ? 500 : 0),
                    i == 2 ? ids.get(1) : null);
            all.add(d);
            ObjectNode line = Json.mapper().createObjectNode();
            line.put("schemaVersion", DecisionLog.VERSION);
            line.setAll((ObjectNode) Json.mapper().valueToTree(d));
            text.append(Json.mapper().writeValueAsString(line)).append('\n');
        }
        Files.writeString(dir.resolve("decisions.jsonl"), text, StandardCharsets.UTF_8);
        DecisionLog log = new DecisionLog(dir.resolve("decisions.jsonl"));
        for (int i = 0; i < ids.size(); i++) {
            assertThat(log.byId(ids.get(i))).as(ids.get(i)).get().isEqualTo(all.get(i));
        }
        assertThat(log.byId("DEC-20261121-0002")).isEmpty();
        assertThat(log.supersededBy(List.of(ids.get(1)))).isEqualTo(Map.of(ids.get(1), ids.get(2)));
        assertThat(log.newest(e -> true, d -> true, 100))
                .extracting(Decision::id)
                .containsExactlyElementsOf(naive(all, d -> true, 100));
        Instant between = T0.plusSeconds(3).plusNanos(200);
        assertThat(log.newest(e -> e.madeAtOrAfter(between), d -> true, 100))
                .as("the nanoseconds count")
                .extracting(Decision::id)
                .containsExactlyElementsOf(naive(all, d -> !d.createdAt().isBefore(between), 100));
        assertThat(DecisionLog.Entry.encode("DEC-20261121-0001")).isPositive();
        assertThat(DecisionLog.Entry.encode("DEC-20261121-00001")).isEqualTo(-1);
        java.util.Random random = new java.util.Random(18);
        String chars = "DEC-0123456789-0x";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder id = new StringBuilder(i % 2 == 0 ? "DEC-" : "");
            int length = 13 + random.nextInt(11);
            while (id.length() < length) {
                id.append(id.length() == 12 ? '-' : chars.charAt(random.nextInt(chars.length())));
            }
            long code = DecisionLog.Entry.encode(id.toString());
            if (code >= 0) {
                assertThat(DecisionLog.Entry.decode(code))
                        .as("an encoded id decodes to itself")
                        .isEqualTo(id.toString());
                assertThat(String.format(
                                Locale.ROOT, "DEC-%s-%04d", id.substring(4, 12), Long.parseLong(id.substring(13))))
                        .as("only ids that the log itself would write are encoded")
                        .isEqualTo(id.toString());
            }
        }
        assertThat(DecisionLog.Entry.decode(DecisionLog.Entry.encode("DEC-00001201-0001")))
                .isEqualTo("DEC-00001201-0001");
    }
}
