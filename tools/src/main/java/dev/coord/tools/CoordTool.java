package dev.coord.tools;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;

/** One MCP tool of coord. Each implementation lives in its own class, named after the tool. */
public interface CoordTool {
    /** The tool's name as the model sees it (after the {@code mcp__coord__} prefix). */
    String name();

    /** The specification to register with the SDK server. */
    SyncToolSpecification specification();

    /** Prepares what the first call would otherwise build (e.g. compiled schemas); safe to call from any thread. */
    default void warmUp() {}
}
