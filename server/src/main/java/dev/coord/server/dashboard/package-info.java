/**
 * {@code coord dashboard}: a local web page that shows the state of one repository live and lets a person step in.
 * The HTTP server is the JDK's own ({@code com.sun.net.httpserver}), bound to 127.0.0.1; {@link AccessGuard} checks
 * every request (token, {@code Host}, {@code Origin}); {@link LiveFeed} polls a {@link DashboardSource} only while a
 * page is connected and pushes the sections that changed as server-sent events. The page, its script and its styles
 * are resources of this package. What the page shows and does comes from a {@link DashboardSource}, which the command
 * line builds over the store and the engine services: this package knows HTTP, not coord's rules. Depends on the
 * JDK's {@code jdk.httpserver}, the engine's JSON configuration and {@code CoordException}; never on {@code cli},
 * the tools or the stores.
 */
package dev.coord.server.dashboard;
