package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.json.Json;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A result serialized once reads, renders and travels exactly as the map it replaced: the text block, the JSON-RPC
 * answer and the map view all carry what converting the value to a map gave.
 */
class RenderedResultTest {
    record Grant(String path, long fencingToken, Instant expiresAt, String note) {}

    record Answer(boolean acquired, List<Grant> grants, Map<String, Object> extra) {}

    private static final Answer VALUE = new Answer(
            true,
            List.of(new Grant("src/\"A\".java\n", 7, Instant.parse("2026-12-08T01:02:03Z"), null)),
            Map.of("ü", "é ✓"));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> converted(Object value) {
        return Json.mapper().convertValue(value, Map.class);
    }

    /** As a client reads it: numbers come back as the smallest type that holds them (7 as an Integer, not a Long). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Map<String, Object> map) {
        return Json.mapper().readValue(Json.mapper().writeValueAsString(map), Map.class);
    }

    private static JsonNode tree(Object value) {
        return JsonMapper.shared().readTree(JsonMapper.shared().writeValueAsString(value));
    }

    @Test
    void theMapViewEqualsTheConvertedMap() {
        RenderedResult r = RenderedResult.of(VALUE, null);
        assertThat(r).isEqualTo(read(converted(VALUE)));
        assertThat(r.keySet()).containsExactly("acquired", "grants", "extra");
        assertThat(r.get("grants").toString()).contains("fencing_token=7").doesNotContain("note");
    }

    @Test
    void theInboxIsAddedLastAndAnEmptyObjectGetsNoStrayComma() {
        Map<String, Object> inbox = Map.of("unread", 2);
        Map<String, Object> expected = new LinkedHashMap<>(converted(VALUE));
        expected.put("inbox", inbox);
        RenderedResult r = RenderedResult.of(VALUE, inbox);
        assertThat(r).isEqualTo(read(expected));
        assertThat(r.keySet()).last().isEqualTo("inbox");
        assertThat(RenderedResult.of(Map.of(), inbox).json()).isEqualTo("{\"inbox\":{\"unread\":2}}");
        assertThat(RenderedResult.of(Map.of(), null).json()).isEqualTo("{}");
    }

    @Test
    void aValueThatIsNoObjectIsRefused() {
        assertThatThrownBy(() -> RenderedResult.of(List.of(1), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> RenderedResult.of("text", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theJsonRpcAnswerAndTheTextBlockCarryTheSameJsonAsTheConvertedMapDid() throws Exception {
        var sdkMapper = McpJsonDefaults.getMapper();
        JsonMapper plain = JsonMapper.shared();
        Map<String, Object> inbox = Map.of("unread", 1);
        Map<String, Object> old = new LinkedHashMap<>(converted(VALUE));
        old.put("inbox", inbox);

        CallToolResult now = AbstractTool.success(VALUE, inbox);
        var text = new TrustedOutputValidator().validate(Map.of(), now.structuredContent());
        assertThat(text.valid()).isTrue();
        // the text block: byte for byte what the validator made of the converted map
        assertThat(text.jsonStructuredOutput())
                .isEqualTo(new TrustedOutputValidator().validate(Map.of(), old).jsonStructuredOutput());

        // the answer on the wire: the structured content is the same JSON object, not a string holding it
        var response = new McpSchema.JSONRPCResponse("2.0", 5, now, null);
        String wire = sdkMapper.writeValueAsString(response);
        JsonNode structured = plain.readTree(wire).get("result").get("structuredContent");
        assertThat(structured.isObject()).as(wire).isTrue();
        assertThat(structured).isEqualTo(tree(old));

        // a conversion to a tree (what a validator does) sees an object too
        JsonNode tree = plain.valueToTree(now.structuredContent());
        assertThat(tree.isObject()).isTrue();
        assertThat(tree).isEqualTo(tree(old));
    }
}
