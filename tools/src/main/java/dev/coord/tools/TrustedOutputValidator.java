package dev.coord.tools;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schema validator the server gives the MCP SDK. The SDK uses it for two things, neither of which needs a JSON
 * Schema engine in coord: at {@code build()} it checks every tool's schemas against the JSON Schema meta-schema
 * (compiling the meta-schema and every schema took about 0.3 s of a 0.6 s start), and after every call it checks
 * {@code structuredContent} against the tool's output schema (a per-call cost). coord's schemas ship inside the jar
 * and are checked by its tests, every tool's output is checked against its output schema by the tool tests, and
 * arguments are checked by each tool itself ({@link AbstractTool#checkArguments}) with the SDK's own validator, built
 * lazily. So this validator accepts both, and only renders the structured content as the JSON text the SDK puts in
 * the result's text block, as the SDK's validator does; a coord result ({@link RenderedResult}) brings that text along.
 */
public final class TrustedOutputValidator implements JsonSchemaValidator {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        if (structuredContent == null) {
            return ValidationResponse.asInvalid("Structured content must not be null");
        }
        try {
            if (structuredContent instanceof RenderedResult rendered) {
                return ValidationResponse.asValid(rendered.json());
            }
            return ValidationResponse.asValid(
                    structuredContent instanceof String s
                            ? MAPPER.readTree(s).toString()
                            : MAPPER.writeValueAsString(structuredContent));
        } catch (JacksonException e) {
            return ValidationResponse.asInvalid("Structured content is not JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return ValidationResponse.asValid(null);
    }
}
