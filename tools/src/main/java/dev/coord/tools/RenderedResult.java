package dev.coord.tools;

import dev.coord.engine.json.Json;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonGeneratorBase;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A tool's {@code structuredContent}, serialized once. A result used to be converted to a map (serialize to tokens,
 * build the map), written again as the JSON text of the result's text block, and a third time inside the JSON-RPC
 * answer. Now the value is written to JSON text once with coord's mapper: the text block is that text ({@link
 * TrustedOutputValidator}), and the answer embeds it as it is ({@link Writer}). Read as a map (in-process callers,
 * tests), it is parsed on first use.
 */
@JsonSerialize(using = RenderedResult.Writer.class)
final class RenderedResult extends AbstractMap<String, Object> {
    private final String json;
    private volatile Map<String, Object> parsed;

    private RenderedResult(String json) {
        this.json = json;
    }

    /**
     * Renders a result.
     *
     * @param value a record or map that serializes to a JSON object
     * @param inbox the {@code inbox} field to add, or null
     * @throws IllegalArgumentException if the value does not serialize to a JSON object
     */
    static RenderedResult of(Object value, Map<String, Object> inbox) {
        String body = Json.mapper().writeValueAsString(value);
        if (body.length() < 2 || body.charAt(0) != '{' || body.charAt(body.length() - 1) != '}') {
            throw new IllegalArgumentException(
                    "a tool result must serialize to a JSON object, not " + abbreviate(body));
        }
        if (inbox != null) {
            String field = "\"inbox\":" + Json.mapper().writeValueAsString(inbox);
            boolean empty = body.substring(1, body.length() - 1).isBlank();
            body = body.substring(0, body.length() - 1) + (empty ? "" : ",") + field + "}";
        }
        return new RenderedResult(body);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** The JSON text of the result. */
    String json() {
        return json;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> map = parsed;
        if (map == null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = Json.mapper().readValue(json, Map.class);
            map = Collections.unmodifiableMap(read);
            parsed = map;
        }
        return map.entrySet();
    }

    /**
     * Writes the JSON text as it is into the JSON-RPC answer. Into any other generator (a token buffer or tree
     * builder, for a conversion to a tree or a map, where raw text would become a string) it writes the parsed map.
     */
    static final class Writer extends ValueSerializer<RenderedResult> {
        @Override
        public void serialize(RenderedResult value, JsonGenerator gen, SerializationContext ctxt) {
            if (gen instanceof JsonGeneratorBase) {
                gen.writeRawValue(value.json);
            } else {
                ctxt.writeValue(gen, new LinkedHashMap<>(value));
            }
        }
    }
}
