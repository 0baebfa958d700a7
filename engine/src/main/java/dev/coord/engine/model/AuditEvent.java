package dev.coord.engine.model;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the audit log.
 *
 * @param at when
 * @param event register, revive, unregister, reap, acquire, release, expire, void, force, decision, mission_claim,
 *     mission_takeover, mission_done, mission_give_back
 * @param instance who did it (or whom it concerns)
 * @param path lock key, if any
 * @param token fencing token, if any
 * @param details anything else worth keeping
 */
public record AuditEvent(
        Instant at, String event, String instance, String path, Long token, Map<String, Object> details) {}
