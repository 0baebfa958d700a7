/**
 * Where the shared state is kept, as a contract: {@link dev.coord.engine.store.CoordStore} is every operation a store
 * offers (atomic as seen from every process); {@link dev.coord.engine.store.RulesStore} runs the {@code rules} for a
 * store that only loads, transacts and saves. Every store feature goes into {@code CoordStoreContract} (engine test
 * jar), run against the file store and PostgreSQL. Depends on {@code model}, {@code rules} and {@code liveness}.
 */
package dev.coord.engine.store;
