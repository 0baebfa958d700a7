package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool list is the public contract and costs context in every session: any change to a name, schema,
 * description or annotation must be deliberate. Run with {@code -Dsnapshot.update=true} to accept a change.
 */
class ToolSchemaSnapshotTest {
    static final Path SNAPSHOT = Path.of("src/test/resources/tools-list.snapshot.json");
    static final Path SCHEMAS = Path.of("../schemas/tools");
    /** The context budget of the whole tool list, in bytes (README, "Tools"). */
    static final int TOOLS_LIST_BUDGET = 12_288;

    @TempDir
    Path repo;

    private List<Tool> tools() {
        try (ToolHarness h = new ToolHarness(repo, repo.resolve(".claude/coordination"), "claude-x", 1)) {
            return h.tools.values().stream()
                    .map(t -> t.specification().tool())
                    .sorted(java.util.Comparator.comparing(Tool::name))
                    .toList();
        }
    }

    @Test
    void toolListMatchesTheSnapshot() throws Exception {
        String json = McpJsonDefaults.getMapper().writeValueAsString(tools());
        String pretty = tools.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(tools.jackson.databind.json.JsonMapper.builder()
                                .build()
                                .readTree(json))
                + "\n";
        if (Boolean.getBoolean("snapshot.update") || !Files.exists(SNAPSHOT)) {
            Files.writeString(SNAPSHOT, pretty, StandardCharsets.UTF_8);
        }
        assertThat(pretty)
                .as("tool list changed; review and re-run with -Dsnapshot.update=true")
                .isEqualTo(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
    }

    @Test
    void everyToolIsCompleteAndCompact() throws Exception {
        List<Tool> tools = tools();
        // the registered tools are exactly those with a schema pair in schemas/tools/ (names in the snapshot)
        List<String> withSchemas;
        try (var files = Files.list(SCHEMAS)) {
            withSchemas = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".input.json"))
                    .map(n -> n.substring(0, n.length() - ".input.json".length()))
                    .sorted()
                    .toList();
        }
        assertThat(withSchemas).hasSizeGreaterThanOrEqualTo(8);
        for (String name : withSchemas) {
            assertThat(SCHEMAS.resolve(name + ".output.json")).as(name).isRegularFile();
        }
        assertThat(tools).extracting(Tool::name).containsExactlyElementsOf(withSchemas);
        for (Tool t : tools) {
            assertThat(t.title()).as(t.name()).isNotBlank();
            assertThat(t.description()).as(t.name()).isNotBlank().hasSizeLessThanOrEqualTo(2048);
            assertThat(t.outputSchema()).as(t.name()).isNotEmpty();
            assertThat(t.annotations().readOnlyHint()).as(t.name()).isNotNull();
            assertThat(t.annotations().destructiveHint()).as(t.name()).isNotNull();
            assertThat(t.annotations().idempotentHint()).as(t.name()).isNotNull();
            assertThat(t.annotations().openWorldHint()).as(t.name()).isFalse();
        }
    }

    /**
     * Every session pays for the whole {@code tools/list} before it does anything: it must stay under 12 KB (12,288
     * bytes) as tools are added. Measured as the {@code tools/list} result the server sends ({@code {"tools":[...]}}).
     */
    @Test
    void theToolListStaysWithinItsContextBudget() throws Exception {
        String result = McpJsonDefaults.getMapper().writeValueAsString(java.util.Map.of("tools", tools()));
        int bytes = result.getBytes(StandardCharsets.UTF_8).length;
        System.out.println("tools/list result: " + bytes + " bytes for " + tools().size() + " tools");
        assertThat(bytes).as("whole tools/list result in bytes (budget 12,288)").isLessThan(TOOLS_LIST_BUDGET);
    }

    @Test
    void readOnlyToolsAreMarkedSoAndOnlyThey() {
        for (Tool t : tools()) {
            boolean readOnly = t.name().equals("status") || t.name().equals("query_decisions");
            assertThat(t.annotations().readOnlyHint()).as(t.name()).isEqualTo(readOnly);
        }
    }
}
