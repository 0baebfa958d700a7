/**
 * The guard in front of the SDK's stdio transport: bounded line reading, the JSON-RPC check of every line, the
 * serialized writer that keeps stdout JSON-RPC only. Depends on the MCP SDK and Jackson; nothing of the engine.
 */
package dev.coord.server.stdio;
