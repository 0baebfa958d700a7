package dev.coord.tools;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One tool's input schema, compiled once, checking a call's arguments. It does what the MCP SDK's
 * {@code DefaultJsonSchemaValidator} does with the same engine (networknt, draft 2020-12) and the same messages, minus
 * the per-call work that validator adds on top: a deep hash of the schema map to find its compiled form, and a
 * re-serialization of the arguments to a string that the input check throws away (together about a tenth of a warm
 * server's CPU per call).
 */
final class ArgumentCheck {
    private static final JsonMapper MAPPER = JsonMapper.shared();

    /** The registry that compiles schemas; building it loads the draft 2020-12 dialect once. */
    private static final class Registry {
        static final SchemaRegistry INSTANCE = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
    }

    private final Schema schema;

    /** @param inputSchema the tool's input schema as parsed JSON */
    ArgumentCheck(Map<String, Object> inputSchema) {
        this.schema = Registry.INSTANCE.getSchema(MAPPER.valueToTree(inputSchema));
    }

    /**
     * Checks the arguments.
     *
     * @return null when they match; otherwise the message in the SDK validator's words: {@code Validation failed:
     *     JSON schema validation errors: [...]}, or {@code Error parsing ...} when a value cannot be read as JSON
     */
    String check(Map<String, Object> arguments) {
        List<Error> errors;
        try {
            JsonNode node = MAPPER.valueToTree(arguments == null ? Map.of() : arguments);
            errors = schema.validate(node);
        } catch (JacksonException e) {
            return "Error parsing tool arguments: " + e.getMessage();
        }
        return errors.isEmpty() ? null : "Validation failed: JSON schema validation errors: " + errors;
    }
}
