package dev.coord.server.stdio;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Decides, for one line of stdin, whether the MCP SDK may see it. It lets through only what the SDK's stdio
 * transport can take without ending the session: one JSON object with {@code "jsonrpc":"2.0"} that is a request
 * or notification (string {@code method}; for {@code tools/call} params with a string name and object arguments; an {@code id}, if present, a string or an integer that fits a long) or
 * a response (such an {@code id} and exactly one non-null {@code result} or {@code error}, an error being an
 * object with an int {@code code} and a string {@code message}). Each line is parsed once, with the same Jackson
 * configuration the SDK uses, and as text as the SDK reads it, so nesting, number and string limits match.
 * Thread-safe.
 */
final class JsonRpcLineCheck {

    private static final JsonMapper MAPPER = JsonMapper.shared();
    /** Trailing data is checked here, to answer it with a plain reason. */
    private static final ObjectReader TREE_READER =
            MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final int MAX_REASON_CHARS = 160;

    /** The server's tool names, once known: a call of another name is answered with the valid ones. */
    private volatile java.util.SortedSet<String> toolNames;

    /** Sets the tool names a {@code tools/call} may name. */
    void knownTools(java.util.Collection<String> names) {
        toolNames = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(names));
    }

    private static final String TOOLS_CALL = "tools/call";
    private static final String JACKSON_EXPECTING_VALUE =
            ": was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

    /**
     * @param line one line of stdin without its terminator
     * @return what to do with it
     */
    Verdict check(byte[] line) {
        int start = startAfterByteOrderMark(line);
        if (isBlank(line, start)) {
            return new Verdict.Ignore();
        }
        int malformed = Utf8.firstMalformedByte(line, start);
        if (malformed >= 0) {
            return JsonRpcErrors.parseError("invalid UTF-8 at byte " + (malformed + 1));
        }
        JsonNode message;
        // parsed as text, like the SDK does: a byte parser would skip a second byte order mark and guess UTF-16 or
        // UTF-32 from zero bytes, and the SDK would then fail on the line and end the session
        String text = new String(line, start, line.length - start, StandardCharsets.UTF_8);
        try (JsonParser parser = MAPPER.createParser(text)) {
            message = TREE_READER.readTree(parser);
            if (parser.nextToken() != null) {
                return JsonRpcErrors.parseError(
                        "unexpected data after the JSON value" + at(parser.currentTokenLocation()));
            }
        } catch (JacksonException e) {
            return JsonRpcErrors.parseError(reason(e));
        } catch (RuntimeException e) {
            return JsonRpcErrors.parseError("unreadable JSON (" + e.getClass().getSimpleName() + ")");
        }
        String problem = problemWith(message);
        if (problem != null) {
            return JsonRpcErrors.invalidRequest(echoableId(message), problem);
        }
        String badParams = problemWithToolCall(message);
        if (badParams != null) {
            return JsonRpcErrors.invalidParams(echoableId(message), badParams);
        }
        return new Verdict.Deliver(sdkLine(line, start), message.has("method") && message.has("id"));
    }

    /**
     * The SDK answers a {@code tools/call} whose params it cannot map with -32603 Internal error, which tells the
     * caller nothing; these are invalid params (-32602).
     *
     * @return what is wrong with the params of a tools/call request, or null
     */
    private String problemWithToolCall(JsonNode message) {
        if (!message.has("id")
                || !message.has("method")
                || !TOOLS_CALL.equals(message.get("method").stringValue())) {
            return null;
        }
        JsonNode params = message.get("params");
        if (params == null || !params.isObject()) {
            return "tools/call needs params that are an object with the tool's name and its arguments";
        }
        JsonNode name = params.get("name");
        if (name == null || !name.isString()) {
            return "tools/call needs params.name, the tool's name as a string";
        }
        JsonNode arguments = params.get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            return "params.arguments of tools/call must be an object, got " + describe(arguments);
        }
        java.util.SortedSet<String> names = toolNames;
        if (names != null && !names.contains(name.stringValue())) {
            String shown = name.stringValue().length() > 100
                    ? name.stringValue().substring(0, 100) + "..."
                    : name.stringValue();
            return "Unknown tool: " + shown + ". coord's tools are: " + String.join(", ", names);
        }
        return null;
    }

    /** @return why {@code message} is not a JSON-RPC message the SDK can take, or null if it is one */
    private static String problemWith(JsonNode message) {
        if (message.isArray()) {
            return "batches are not supported";
        }
        if (!message.isObject()) {
            return "expected a JSON object, got " + describe(message);
        }
        JsonNode jsonrpc = message.get("jsonrpc");
        if (jsonrpc == null || !jsonrpc.isString() || !"2.0".equals(jsonrpc.stringValue())) {
            return "jsonrpc must be \"2.0\"";
        }
        JsonNode id = message.get("id");
        boolean hasResult = message.has("result");
        boolean hasError = message.has("error");
        if (message.has("method")) {
            if (!message.get("method").isString()) {
                return "method must be a string";
            }
            if (hasResult || hasError) {
                return "a request must not have result or error";
            }
            if (id != null && !isValidId(id)) {
                return "id must be a string or an integer";
            }
            return null;
        }
        if (!hasResult && !hasError) {
            return "method is missing (or result/error, for a response)";
        }
        if (id == null || !isValidId(id)) {
            return "a response needs an id that is a string or an integer";
        }
        boolean result = hasResult && !message.get("result").isNull();
        boolean error = hasError && !message.get("error").isNull();
        if (result == error) {
            return "a response must have exactly one of result and error";
        }
        if (error && !isValidError(message.get("error"))) {
            return "error must be an object with an integer code and a string message";
        }
        return null;
    }

    private static String describe(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        String type = value.getNodeType().name().toLowerCase(Locale.ROOT);
        return "a " + type;
    }

    /** The SDK accepts ids that are strings, Integers or Longs only; anything else ends its session. */
    private static boolean isValidId(JsonNode id) {
        return id.isString() || (id.isIntegralNumber() && id.canConvertToLong());
    }

    private static boolean isValidError(JsonNode error) {
        if (!error.isObject()) {
            return false;
        }
        JsonNode code = error.get("code");
        JsonNode text = error.get("message");
        return code != null && code.isIntegralNumber() && code.canConvertToInt() && text != null && text.isString();
    }

    /** The request's id when it is a string or a finite number, else JSON null. */
    private static JsonNode echoableId(JsonNode message) {
        JsonNode id = message.isObject() ? message.get("id") : null;
        if (id != null && (id.isString() || (id.isNumber() && (id.isIntegralNumber() || isFinite(id))))) {
            return id;
        }
        return NullNode.getInstance();
    }

    private static boolean isFinite(JsonNode number) {
        return Double.isFinite(number.doubleValue());
    }

    /**
     * The line as the SDK gets it: from after any byte order mark, each {@code '\r'} turned into a space, then
     * {@code '\n'}. The SDK's reader splits lines at a lone {@code '\r'} as well, and would choke on a BOM; in
     * valid JSON a {@code '\r'} can only be whitespace (inside strings it must be escaped), so nothing else changes.
     */
    private static byte[] sdkLine(byte[] line, int start) {
        byte[] out = new byte[line.length - start + 1];
        System.arraycopy(line, start, out, 0, line.length - start);
        for (int i = 0; i < out.length - 1; i++) {
            if (out[i] == '\r') {
                out[i] = ' ';
            }
        }
        out[out.length - 1] = '\n';
        return out;
    }

    private static int startAfterByteOrderMark(byte[] line) {
        boolean bom = line.length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF;
        return bom ? 3 : 0;
    }

    private static boolean isBlank(byte[] line, int start) {
        for (int i = start; i < line.length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** A short reason from Jackson's message, without its hints about Jackson's own settings. */
    private static String reason(JacksonException e) {
        String text = e.getOriginalMessage();
        if (text == null || text.isBlank()) {
            text = e.getClass().getSimpleName();
        }
        text = text.replace(JACKSON_EXPECTING_VALUE, ": expected a JSON value");
        text = text.replaceAll(", from `[^`]*`", "");
        int hint = text.indexOf(": enable `");
        if (hint > 0) {
            text = text.substring(0, hint);
        }
        int newline = text.indexOf('\n');
        if (newline > 0) {
            text = text.substring(0, newline);
        }
        if (text.length() > MAX_REASON_CHARS) {
            text = text.substring(0, MAX_REASON_CHARS - 3) + "...";
        }
        return text + at(e.getLocation());
    }

    private static String at(TokenStreamLocation location) {
        return location != null && location.getColumnNr() > 0 ? " at column " + location.getColumnNr() : "";
    }
}
