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
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every coord tool shares: schemas loaded from {@code schemas/tools/}, annotations, and the mapping of results
 * and failures. A handler never throws: expected failures become {@code isError} results with a stable code, and
 * anything unexpected becomes an INTERNAL error result, so the model always gets a readable answer.
 */
abstract class AbstractTool implements CoordTool {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractTool.class);

    private final Supplier<Coordinator> coord;
    private volatile ArgumentCheck argumentCheck;

    /**
     * @param coord the engine's services; the server hands a supplier that waits (bounded) until the state is open
     *     and this session registered, and throws a {@link CoordException} when it cannot be, so that the tool list
     *     is served before the store is open
     */
    AbstractTool(Supplier<Coordinator> coord) {
        this.coord = coord;
    }

    /** The engine's services, once ready; a call made before that waits for them here. */
    final Coordinator coord() {
        return coord.get();
    }

    /** A short human title. */
    abstract String title();

    /** Written for the model: when to call, what comes back, what to do on failure. */
    abstract String description();

    /** The four hints, each chosen on purpose. */
    abstract ToolAnnotations annotations();

    /** Does the work; returns a record or map that serializes to the output schema. */
    abstract Object call(Args args);

    /** Whether the tool declares an output schema and answers with {@code structuredContent}. */
    boolean structured() {
        return true;
    }

    @Override
    public SyncToolSpecification specification() {
        var mapper = McpJsonDefaults.getMapper();
        var builder = Tool.builder(name(), mapper, Schemas.servedInput(name()))
                .title(title())
                .description(description())
                .annotations(annotations());
        if (structured()) {
            builder.outputSchema(mapper, Schemas.servedOutput(name()));
        }
        Tool tool = builder.build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler(this::handle)
                .build();
    }

    /** Compiles the input schema now (the validator caches it), so that the first real call does not pay for it. */
    @Override
    public void warmUp() {
        checkArguments(Map.of());
    }

    CallToolResult handle(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        String invalid = checkArguments(request.arguments());
        if (invalid != null) {
            LOG.debug("{} refused its arguments: {}", name(), invalid);
            return failure(ErrorCode.INVALID_ARGUMENT, invalid);
        }
        try {
            if (exchange != null && exchange.getClientInfo() != null) {
                coord().session()
                        .noteClient(
                                exchange.getClientInfo().name(),
                                exchange.getClientInfo().version());
            }
            return result(call(new Args(request.arguments())));
        } catch (CoordException e) {
            LOG.debug("{} failed: {} {}", name(), e.code(), e.getMessage());
            return failure(e.code(), NextSteps.message(e));
        } catch (RuntimeException e) {
            LOG.error("{} failed unexpectedly", name(), e);
            return failure(
                    ErrorCode.INTERNAL,
                    "coord had an internal error in " + name() + " (" + e + "). The server keeps running; retry once,"
                            + " and if it fails again carry on without coord and tell the user.");
        }
    }

    /**
     * Checks the arguments against the tool's input schema. The server turns the SDK's own check off: it answers
     * with a text that carries no stable code, and fails outright on some numbers (such as 1e308 for an integer).
     *
     * @return what is wrong, or null when they match
     */
    String checkArguments(Map<String, Object> arguments) {
        try {
            String message = argumentCheck().check(arguments);
            if (message == null) {
                return null;
            }
            if (message != null && message.startsWith("Error parsing")) {
                // the validator failed on the value itself, e.g. 1e308 where an integer is expected
                return couldNotCheck(message);
            }
            return readable(message) + " (the arguments of " + name()
                    + " do not match its input schema; fix them and call again)";
        } catch (RuntimeException e) {
            return couldNotCheck(e.getMessage());
        }
    }

    private String couldNotCheck(String why) {
        return "The arguments of " + name() + " could not be checked against its input schema (" + why
                + "); send numbers as plain integers in range and strings where the schema asks for them.";
    }

    /**
     * The validator's message with the argument first: {@code [/ttl_seconds: must have a maximum value of 86400]}
     * becomes {@code ttl_seconds: must have a maximum value of 86400}.
     */
    static String readable(String validatorMessage) {
        String why = validatorMessage == null ? "invalid arguments" : validatorMessage;
        why = why.replace("Validation failed: JSON schema validation errors: ", "");
        if (why.startsWith("[") && why.endsWith("]")) {
            why = why.substring(1, why.length() - 1);
        }
        why = why.replaceAll("(^|, )/", "$1").replaceAll("(^|, ): ", "$1");
        return why.length() > 600 ? why.substring(0, 600) + "..." : why;
    }

    /** The input schema, compiled on first use (or by {@link #warmUp}) and kept. */
    private ArgumentCheck argumentCheck() {
        ArgumentCheck check = argumentCheck;
        if (check == null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = Json.mapper().readValue(Schemas.input(name()), Map.class);
            check = new ArgumentCheck(parsed);
            argumentCheck = check;
        }
        return check;
    }

    /**
     * The result of a call that worked: its value as {@code structuredContent}, with the session's unread messages
     * as {@code inbox} when it has any (the hook tool answers in text).
     */
    CallToolResult result(Object value) {
        return success(value, reportsInbox() ? inbox() : null);
    }

    /** Whether results carry the {@code inbox} field (read_messages says what is left itself). */
    boolean reportsInbox() {
        return true;
    }

    private Map<String, Object> inbox() {
        try {
            return InboxView.of(coord().messages().inbox());
        } catch (RuntimeException e) {
            LOG.debug("{}: inbox unavailable: {}", name(), e.toString());
            return null;
        }
    }

    static CallToolResult success(Object value) {
        return success(value, null);
    }

    static CallToolResult success(Object value, Map<String, Object> inbox) {
        return CallToolResult.builder()
                .structuredContent(RenderedResult.of(value, inbox))
                .build();
    }

    /**
     * An {@code isError} result: the stable code first, then the message, as text only. It carries no
     * {@code structuredContent}: clients built on the official TypeScript SDK check structured content against the
     * tool's output schema even on errors, and an error shape that does not match it hides the message behind a
     * client-side schema error.
     */
    static CallToolResult failure(ErrorCode code, String message) {
        return CallToolResult.builder()
                .isError(true)
                .addTextContent(code.name() + ": " + message)
                .build();
    }

    static ToolAnnotations hints(boolean readOnly, boolean destructive, boolean idempotent) {
        return new ToolAnnotations(null, readOnly, destructive, idempotent, false, null);
    }
}
