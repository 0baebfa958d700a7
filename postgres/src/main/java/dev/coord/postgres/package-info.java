/**
 * The PostgreSQL store, behind the engine's store contract and rules: {@link dev.coord.postgres.PgStore} (the
 * operations), {@code PgRows} (loading and writing one project's rows), {@code PgConnection} (the connection and its
 * transactions), {@code Migrations} (the schema). Depends on the engine's {@code store}, {@code rules}, {@code model}
 * and {@code json}, and JDBC; the server reaches it only through {@code server.store.PgStores}.
 */
package dev.coord.postgres;
