/**
 * The command line and the hooks for people and git ({@code status}, {@code locks}, {@code decisions}, {@code
 * missions}, {@code cleanup}, {@code init}, {@code hook}, {@code dashboard}); {@link dev.coord.server.cli.CliEnv}
 * opens the store and builds a short-lived engine through {@link dev.coord.engine.CoordEngine}. Depends on the engine,
 * {@code server.store}, the server's configuration, exit codes, {@link dev.coord.server.Version}, and {@code
 * server.dashboard} (whose {@code DashboardSource} {@code DashboardData} implements).
 */
package dev.coord.server.cli;
