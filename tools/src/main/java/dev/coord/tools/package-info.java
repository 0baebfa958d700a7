/**
 * What the model sees: one class per MCP tool (argument names, the checks phrased for the model, the result
 * records), the schemas in {@code schemas/tools/}, the shaped views of the engine's outcomes ({@link
 * dev.coord.tools.MissionViews}, {@link dev.coord.tools.StatusReport} built by {@link dev.coord.tools.StatusReports}),
 * the words of the hooks' news ({@link dev.coord.tools.NewsLines}) and the prompts. The command line and the dashboard
 * show the same records uncapped ({@link dev.coord.tools.StatusView}, {@link dev.coord.tools.MissionsView}). {@link dev.coord.tools.Coordinator#of} takes the engine the composition root built; {@link
 * dev.coord.tools.CoordTools#all} is the registration list. Depends on the engine (never a store implementation) and
 * the MCP SDK; nothing in the engine depends on it.
 */
package dev.coord.tools;
