package dev.coord.server.stdio;

import tools.jackson.databind.JsonNode;

/** What the guard does with one line of stdin. */
sealed interface Verdict {

    /** Drop the line silently: it is empty or whitespace only. */
    record Ignore() implements Verdict {}

    /**
     * Hand {@code sdkLine}, which ends with {@code '\n'}, to the SDK; {@code request} is true when the line is a
     * request with an id, which the SDK will answer.
     */
    record Deliver(byte[] sdkLine, boolean request) implements Verdict {}

    /** Answer the line with a JSON-RPC error; {@code id} is the id to echo, JSON null when there is none. */
    record Reject(JsonNode id, int code, String message) implements Verdict {}
}
