package dev.coord.server.stdio;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON-RPC error codes the guard answers with, and the encoding of its error responses. */
final class JsonRpcErrors {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INVALID_PARAMS = -32602;

    private static final JsonMapper MAPPER = JsonMapper.shared();

    private JsonRpcErrors() {}

    /** @return {@code {"jsonrpc":"2.0","id":<id>,"error":{"code":<code>,"message":<message>}}} on one line */
    static byte[] response(Verdict.Reject reject) {
        ObjectNode error = MAPPER.createObjectNode();
        error.put("code", reject.code());
        error.put("message", reject.message());
        ObjectNode response = MAPPER.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", reject.id());
        response.set("error", error);
        return MAPPER.writeValueAsBytes(response);
    }

    static Verdict.Reject parseError(String reason) {
        return new Verdict.Reject(MAPPER.nullNode(), PARSE_ERROR, "Parse error: " + reason);
    }

    static Verdict.Reject invalidParams(JsonNode id, String reason) {
        return new Verdict.Reject(id, INVALID_PARAMS, "Invalid params: " + reason);
    }

    static Verdict.Reject invalidRequest(JsonNode id, String reason) {
        return new Verdict.Reject(id, INVALID_REQUEST, "Invalid Request: " + reason);
    }
}
