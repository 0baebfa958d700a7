package dev.coord.tools;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.json.Json;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every coord tool shares: schemas loaded from {@code schemas/tools/}, annotations, and the mapping of results
 * and failures. A handler never throws: expected failures become {@code isError} results with a stable code, and
 * anything unexpected becomes an INTERNAL error result, so the model always gets a readable answer.
 */
abstract class AbstractTool implements CoordTool {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractTool.class);

    protected final Coordinator coord;

    AbstractTool(Coordinator coord) {
        this.coord = coord;
    }

    /** A short human title. */
    abstract String title();

    /** Written for the model: when to call, what comes back, what to do on failure. */
    abstract String description();

    /** The four hints, each chosen on purpose. */
    abstract ToolAnnotations annotations();

    /** Does the work; returns a record or map that serializes to the output schema. */
    abstract Object call(Args args);

    @Override
    public SyncToolSpecification specification() {
        var mapper = McpJsonDefaults.getMapper();
        Tool tool = Tool.builder(name(), mapper, Schemas.input(name()))
                .title(title())
                .description(description())
                .outputSchema(mapper, Schemas.output(name()))
                .annotations(annotations())
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler(this::handle)
                .build();
    }

    CallToolResult handle(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        if (exchange != null && exchange.getClientInfo() != null) {
            coord.session()
                    .noteClient(
                            exchange.getClientInfo().name(),
                            exchange.getClientInfo().version());
        }
        try {
            return success(call(new Args(request.arguments())));
        } catch (CoordException e) {
            LOG.debug("{} failed: {} {}", name(), e.code(), e.getMessage());
            return failure(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} failed unexpectedly", name(), e);
            return failure(
                    ErrorCode.INTERNAL,
                    "coord had an internal error in " + name() + " (" + e + "). The server keeps running; retry once,"
                            + " and if it fails again carry on without coord and tell the user.");
        }
    }

    static CallToolResult success(Object value) {
        @SuppressWarnings("unchecked")
        Map<String, Object> content = Json.mapper().convertValue(value, Map.class);
        return CallToolResult.builder().structuredContent(content).build();
    }

    static CallToolResult failure(ErrorCode code, String message) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("code", code.name());
        content.put("message", message);
        return CallToolResult.builder()
                .isError(true)
                .addTextContent(code.name() + ": " + message)
                .structuredContent(content)
                .build();
    }

    static ToolAnnotations hints(boolean readOnly, boolean destructive, boolean idempotent) {
        return new ToolAnnotations(null, readOnly, destructive, idempotent, false, null);
    }
}
