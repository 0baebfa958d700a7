/** JMH micro-benchmarks of the store's hot paths. Depends on the engine. */
package dev.coord.bench.jmh;
