/**
 * What coord does for one session: lock acquire and release with waiting ({@link
 * dev.coord.engine.service.LockService}), the decision log ({@link dev.coord.engine.service.DecisionService}),
 * mission claims, completion and the missions overview ({@link dev.coord.engine.service.MissionService}). Services
 * take typed commands (lock modes, durations, ids, paths) and return domain outcomes ({@code model}, {@link
 * dev.coord.engine.service.MissionOutcomes}); the tools check what the model sent and shape the results. The news
 * for the hooks is stated as facts ({@link dev.coord.engine.service.NewsItem}), never as words for the model. Depends on
 * the store contract, {@code mission}, {@code path} and {@code model}; never on a store implementation.
 */
package dev.coord.engine.service;
