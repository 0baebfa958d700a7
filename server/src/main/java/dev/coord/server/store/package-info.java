/**
 * Opens the store the configuration selects: the file store, or PostgreSQL through {@link
 * dev.coord.server.store.PgStores} (the only class that loads the PostgreSQL module and JDBC). Depends on the engine's
 * store contract, the file store, the postgres module and the server's configuration.
 */
package dev.coord.server.store;
