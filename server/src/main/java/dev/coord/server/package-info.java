/**
 * The process: {@link dev.coord.server.Main} (entry point; stdout kept for JSON-RPC), {@link
 * dev.coord.server.ServerConfig} (the environment), {@code CoordServer} (checks the configuration, registers the tools,
 * serves stdio), {@code EngineStartup} (opens the store and builds the engine with {@link
 * dev.coord.engine.CoordEngine} on its own thread meanwhile), logging and {@link
 * dev.coord.server.Version}. May depend on everything below: {@code cli}, {@code stdio}, {@code store}, the tools and
 * the engine; {@code cli}, {@code stdio} and {@code store} never import {@code Main} or {@code CoordServer}.
 */
package dev.coord.server;
