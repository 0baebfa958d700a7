package dev.coord.engine.store.file;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * What the audit log says is still in force: the instances registered and not gone, the leases granted and not
 * ended, the highest token, the last record of every mission. Used to rebuild {@code locks.json},
 * {@code registry.json} and {@code missions.json} when one was damaged, so that a damaged file loses no live lock and
 * no claim.
 *
 * <p>Limits, by what the log holds: lease renewals are not logged, so a restored lease runs from the rebuild (never
 * shorter than the real one); the file hash taken at grant is not logged, so a restored lock cannot report
 * {@code changed_since_release}; an instance is restored with its pid, host, worktree and branch only (its next call
 * fills in the rest); events older than the rotated {@code audit.jsonl.1} are gone. An acquire whose transaction died
 * before it wrote the lock table (never acknowledged) comes back as a lock of its requester, which ends with its
 * lease or the requester's next release-all.
 */
final class AuditReplay {
    private static final Logger LOG = LoggerFactory.getLogger(AuditReplay.class);

    /** An instance as the log knows it. */
    record Known(String id, long pid, String host, String worktree, String branch, Instant registeredAt) {
        Instance restore(Instant now) {
            return new Instance(
                    id, pid, null, host, null, worktree, branch, null, null, null, null, null, registeredAt, now);
        }
    }

    /** A lease as the log knows it. */
    record Lease(
            String path, LockMode mode, String holder, long token, Instant acquiredAt, long ttlSeconds, String reason) {
        LockRecord restore(Instant now, String worktree) {
            return new LockRecord(
                    path,
                    mode,
                    holder,
                    token,
                    acquiredAt,
                    now.plusSeconds(ttlSeconds),
                    ttlSeconds,
                    reason,
                    null,
                    worktree);
        }
    }

    final Map<String, Known> instances = new LinkedHashMap<>();
    final Map<Long, Lease> leases = new LinkedHashMap<>();
    /** The last mission record each {@code mission_*} event left, by mission id; never settled (see below). */
    final Map<String, MissionClaim> missions = new LinkedHashMap<>();

    long maxToken;

    /** Replays {@code audit.jsonl.1} then {@code audit.jsonl} of {@code dir}. */
    static AuditReplay of(Path dir) {
        AuditReplay r = new AuditReplay();
        Map<String, Known> everSeen = new LinkedHashMap<>();
        for (Path p : List.of(dir.resolve("audit.jsonl.1"), dir.resolve("audit.jsonl"))) {
            if (!Files.exists(p)) {
                continue;
            }
            try (var lines = Files.lines(p, StandardCharsets.UTF_8)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    JsonNode e;
                    try {
                        e = Json.mapper().readTree(line);
                    } catch (RuntimeException ignored) {
                        continue; // a torn line
                    }
                    if (e != null && e.isObject()) {
                        r.apply(e, everSeen);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("cannot read {} to rebuild the state: {}", p, e.toString());
            }
        }
        return r;
    }

    private void apply(JsonNode e, Map<String, Known> everSeen) {
        String event = e.path("event").asString("");
        String instance = e.path("instance").asString(null);
        JsonNode token = e.get("token");
        long tok = token != null && token.canConvertToLong() ? token.asLong() : 0;
        maxToken = Math.max(maxToken, tok);
        if (instance == null) {
            return;
        }
        JsonNode d = e.path("details");
        Instant at = instant(e.path("at").asString(null));
        switch (event) {
            case "register" -> {
                Known k = new Known(
                        instance,
                        d.path("pid").asLong(0),
                        d.path("host").asString(""),
                        d.path("worktree").asString(null),
                        d.path("branch").asString(null),
                        at);
                everSeen.put(instance, k);
                instances.put(instance, k);
            }
            case "revive" -> {
                Known k = everSeen.get(instance);
                if (k != null) {
                    instances.put(instance, k);
                }
            }
            case "unregister", "reap" -> {
                instances.remove(instance);
                leases.values().removeIf(l -> l.holder().equals(instance));
            }
            case "acquire" -> {
                String path = e.path("path").asString(null);
                LockMode mode;
                try {
                    mode = LockMode.parse(d.path("mode").asString("exclusive"));
                } catch (RuntimeException bad) {
                    mode = LockMode.EXCLUSIVE;
                }
                if (path != null && tok > 0) {
                    // a new grant of the same path to the same holder replaces its old one (a mode change)
                    leases.values()
                            .removeIf(
                                    l -> l.holder().equals(instance) && l.path().equals(path));
                    leases.put(
                            tok,
                            new Lease(
                                    path,
                                    mode,
                                    instance,
                                    tok,
                                    at,
                                    Math.max(1, d.path("ttl_s").asLong(900)),
                                    d.path("reason").asString(null)));
                }
            }
            case "release", "force", "expire", "void" -> leases.remove(tok);
            case "handover" -> {
                // the lock moved to another session with a new token (send_message, kind handover)
                Lease old = leases.remove(d.path("old_token").asLong(0));
                String to = d.path("to").asString(null);
                String path = e.path("path").asString(null);
                if (old != null && to != null && path != null && tok > 0) {
                    leases.put(tok, new Lease(path, old.mode(), to, tok, at, old.ttlSeconds(), old.reason()));
                }
            }
            case "mission_claim", "mission_takeover", "mission_done", "mission_give_back", "mission_handover" ->
                mission(event, instance, at, d);
            default -> {
                // decisions: nothing to rebuild here
            }
        }
    }

    /**
     * A mission record as the event left it. Not logged, so lost: the claimer's task at claim time and a done
     * mission's summary (null). A finish whose claim is older than the log takes the overridden claimer
     * ({@code from}) or else the finisher as claimer, the finish time as claim time and no request id. Every record
     * comes back unsettled: the settler then checks its file and finishes a move or stamp the damage interrupted
     * (each step is skipped when already done).
     */
    private void mission(String event, String instance, Instant at, JsonNode d) {
        String id = d.path("mission").asString(null);
        String file = d.path("file").asString(null);
        long rev = d.path("rev").asLong(0);
        if (id == null || file == null || rev <= 0) {
            return;
        }
        String from = d.path("from").asString(null);
        String reason = d.path("reason").asString(null);
        if (event.equals("mission_claim") || event.equals("mission_takeover") || event.equals("mission_handover")) {
            // a handover is a claim made for the receiver by the giver
            boolean handover = event.equals("mission_handover");
            missions.remove(id);
            missions.put(
                    id,
                    new MissionClaim(
                            id,
                            file,
                            MissionState.ACTIVE,
                            handover ? d.path("to").asString(instance) : instance,
                            null,
                            at,
                            handover ? null : d.path("request_id").asString(null),
                            rev,
                            false,
                            instance,
                            at,
                            from,
                            null,
                            handover ? "handed over" : reason));
            return;
        }
        MissionClaim prior = missions.remove(id);
        missions.put(
                id,
                new MissionClaim(
                        id,
                        file,
                        event.equals("mission_done") ? MissionState.DONE : MissionState.QUEUED,
                        prior != null ? prior.claimedBy() : from != null ? from : instance,
                        prior != null ? prior.claimedTask() : null,
                        prior != null ? prior.claimedAt() : at,
                        prior != null ? prior.requestId() : null,
                        rev,
                        false,
                        instance,
                        at,
                        from,
                        null,
                        reason));
    }

    private static Instant instant(String s) {
        try {
            return s == null ? Instant.EPOCH : Instant.parse(s);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
