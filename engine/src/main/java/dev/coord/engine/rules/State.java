package dev.coord.engine.rules;

import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Waiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The shared state loaded for one transaction. A store loads it under its cross-process exclusion, lets {@link RegistryRules}, {@link LockRules}
 * and {@link MissionRules} change it, and saves what is dirty. Mutable on purpose: it lives for one transaction only.
 */
public final class State {
    public final Instant now;
    public final LinkedHashMap<String, Instance> instances = new LinkedHashMap<>();
    public final List<Tombstone> tombstones = new ArrayList<>();
    public final LinkedHashMap<String, List<Notice>> notices = new LinkedHashMap<>();
    public final List<LockRecord> locks = new ArrayList<>();
    public final List<Waiter> waiters = new ArrayList<>();
    /** Release marks; a store may look them up lazily (see {@link ReleaseMarks}). */
    public final ReleaseMarks releases;

    public final List<AuditEvent> audit = new ArrayList<>();
    /** The registry part (instances, tombstones, notices) changed. */
    public boolean registryDirty;
    /** The lock table part (locks, waiters, tokens) changed; release marks tell their own changes. */
    public boolean tableDirty;

    private final LongSupplier tokens;

    /**
     * @param now the store's clock for this transaction
     * @param tokens fencing tokens: every call returns a number greater than any returned before, in any process
     */
    public State(Instant now, LongSupplier tokens) {
        this(now, tokens, new ReleaseMarks.InMemory());
    }

    /**
     * @param now the store's clock for this transaction
     * @param tokens fencing tokens: every call returns a number greater than any returned before, in any process
     * @param releases the release marks, valid for this transaction
     */
    public State(Instant now, LongSupplier tokens, ReleaseMarks releases) {
        this.now = Objects.requireNonNull(now, "now");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.releases = Objects.requireNonNull(releases, "releases");
    }

    /** A new fencing token. */
    public long takeToken() {
        return tokens.getAsLong();
    }

    /** The pending notices of every instance, without empty lists. */
    public Map<String, List<Notice>> pendingNotices() {
        Map<String, List<Notice>> copy = new LinkedHashMap<>();
        notices.forEach((k, v) -> {
            if (!v.isEmpty()) {
                copy.put(k, List.copyOf(v));
            }
        });
        return copy;
    }

    public void audit(String event, String instance, String path, Long token, Map<String, Object> details) {
        audit.add(new AuditEvent(now, event, instance, path, token, details == null ? null : Map.copyOf(details)));
    }

    public void notify(String instance, Notice notice) {
        notices.computeIfAbsent(instance, k -> new ArrayList<>()).add(notice);
        registryDirty = true;
    }
}
