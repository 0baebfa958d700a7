/**
 * Who is alive: this host's identity (host name, boot id, process start), the process probe, and the judge that
 * decides from a heartbeat, a boot id and a pid whether an instance is dead ({@link
 * dev.coord.engine.liveness.LivenessJudge}). Depends on {@code model}.
 */
package dev.coord.engine.liveness;
