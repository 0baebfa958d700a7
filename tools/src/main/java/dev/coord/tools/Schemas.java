package dev.coord.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loads the tool schemas of {@code schemas/tools/}, packaged on the class path: one source of truth. The files hold
 * the full shapes (arguments are checked against them, tests check every result against them); {@code tools/list}
 * carries what a client needs of them ({@link #servedInput}, {@link #servedOutput}), because every byte of it is paid
 * by every session before it does anything.
 */
public final class Schemas {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Schemas() {}

    public static String input(String tool) {
        return load("schemas/tools/" + tool + ".input.json");
    }

    public static String output(String tool) {
        return load("schemas/tools/" + tool + ".output.json");
    }

    /** Size limits left out of the served input schemas; the server checks them and names the argument. */
    private static final java.util.Set<String> SIZE_LIMITS =
            java.util.Set.of("minLength", "maxLength", "minItems", "maxItems");

    /**
     * The input schema as served: the file without {@code $schema} (2020-12 is MCP's default) and without size limits
     * on strings and lists, which the server still checks against the file ({@link AbstractTool#checkArguments}) and
     * reports as INVALID_ARGUMENT naming the argument and the limit.
     */
    public static String servedInput(String tool) {
        ObjectNode schema = (ObjectNode) MAPPER.readTree(input(tool));
        schema.remove("$schema");
        dropSizeLimits(schema);
        return schema.toString();
    }

    private static void dropSizeLimits(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(SIZE_LIMITS);
            o.values().forEach(Schemas::dropSizeLimits);
        }
    }

    /**
     * The output schema as served: its top level only (each property's type, the required ones). Every result that
     * matches the full schema matches it; the fields inside are documented once, in the full schema and in the docs.
     */
    public static String servedOutput(String tool) {
        JsonNode full = MAPPER.readTree(output(tool));
        ObjectNode outline = MAPPER.createObjectNode();
        outline.put("type", "object");
        ObjectNode properties = outline.putObject("properties");
        for (var field : full.path("properties").properties()) {
            ObjectNode p = properties.putObject(field.getKey());
            JsonNode def = field.getValue();
            String ref = def.path("$ref").asString("");
            if (ref.startsWith("#/$defs/")) {
                def = full.path("$defs").path(ref.substring("#/$defs/".length()));
            }
            JsonNode type = def.get("type");
            JsonNode values = def.get("enum");
            if (type != null) {
                p.set("type", type);
            }
            if (values != null) {
                p.set("enum", values);
            }
        }
        if (full.has("required")) {
            outline.set("required", full.get("required"));
        }
        return outline.toString();
    }

    static String load(String resource) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource, e);
        }
    }
}
