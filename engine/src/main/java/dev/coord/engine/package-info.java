/**
 * The engine: what coord does, with no MCP code. This root package holds what every part shares ({@link
 * dev.coord.engine.CoordException} and {@link dev.coord.engine.ErrorCode}, {@link dev.coord.engine.EngineSettings},
 * {@link dev.coord.engine.Sleeper}), this process's registration and heartbeat ({@link dev.coord.engine.Session}), and
 * the one composition root, {@link dev.coord.engine.CoordEngine}, which builds the engine of one process for the
 * server, the command line and the benchmarks.
 *
 * <p>Arrows point one way: {@code model} and {@code path} depend on nothing but this package; {@code rules} on them
 * and {@code liveness}; {@code store} on {@code rules}; {@code store.file} on {@code store}; {@code mission} on
 * {@code model} and {@code store}; {@code service} on all of those. Nothing in the engine knows the tools, the
 * server or PostgreSQL.
 */
package dev.coord.engine;
