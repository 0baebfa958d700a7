/**
 * The benchmarks behind {@code docs/performance.md}: start-up, round trips, contention, scale, memory, over the
 * shaded jar and the engine. Speed targets are measured here, never asserted in unit tests. Depends on the engine
 * (instances through {@link dev.coord.engine.CoordEngine#thisProcess}).
 */
package dev.coord.bench;
