/**
 * The domain values: instances, locks and their requests and outcomes, waiters, notices, decisions, mission claims.
 * Immutable records and enums; depends only on the engine's root package (errors). Everything above uses them.
 */
package dev.coord.engine.model;
