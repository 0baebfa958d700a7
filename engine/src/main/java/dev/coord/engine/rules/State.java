package dev.coord.engine.rules;

import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Waiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The shared state loaded for one transaction. A store loads it under its cross-process exclusion ({@link #load}),
 * lets {@link RegistryRules}, {@link LockRules}, {@link EditClaimRules} and {@link MissionRules} change it, and saves
 * the parts that are dirty. Mutable on purpose: it lives for one transaction only.
 *
 * <p>Stores read it through unmodifiable views; only the rules (this package) change it, through the mutations below,
 * which hold its invariants in one place: every change marks its part dirty (the registry: instances, tombstones,
 * notices; the lock table: locks and waiters), so that a store never saves too little; a granted lock carries a
 * fencing token no other lock of the table has.
 */
public final class State {
    private final Instant now;
    private final LinkedHashMap<String, Instance> instances = new LinkedHashMap<>();
    private final List<Tombstone> tombstones = new ArrayList<>();
    private final LinkedHashMap<String, List<Notice>> notices = new LinkedHashMap<>();
    private final List<LockRecord> locks = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final ReleaseMarks releases;
    private final List<AuditEvent> audit = new ArrayList<>();
    private final LongSupplier tokens;
    private boolean registryDirty;
    private boolean tableDirty;
    private boolean loaded;

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

    /**
     * Fills the state with what the store holds, once, before the rules run; nothing is dirty after it. An instance id
     * given twice keeps the last one.
     *
     * @param notices pending notices by instance id
     * @return this state
     */
    public State load(
            Collection<Instance> instances,
            Collection<Tombstone> tombstones,
            Map<String, ? extends List<Notice>> notices,
            Collection<LockRecord> locks,
            Collection<Waiter> waiters) {
        if (loaded) {
            throw new IllegalStateException("the state of a transaction is loaded once");
        }
        loaded = true;
        instances.forEach(i -> this.instances.put(i.id(), i));
        this.tombstones.addAll(tombstones);
        notices.forEach((k, v) -> this.notices.put(k, new ArrayList<>(v)));
        this.locks.addAll(locks);
        this.waiters.addAll(waiters);
        return this;
    }

    // ---- reads (stores and rules)

    /** The store's clock for this transaction. */
    public Instant now() {
        return now;
    }

    /** The registered instances, in registration order. */
    public Collection<Instance> instances() {
        return Collections.unmodifiableCollection(instances.values());
    }

    /** The registered instance with this id, or null. */
    public Instance instance(String id) {
        return instances.get(id);
    }

    public boolean isRegistered(String id) {
        return instances.containsKey(id);
    }

    public List<Tombstone> tombstones() {
        return Collections.unmodifiableList(tombstones);
    }

    public List<LockRecord> locks() {
        return Collections.unmodifiableList(locks);
    }

    public List<Waiter> waiters() {
        return Collections.unmodifiableList(waiters);
    }

    /** The release marks; a store may look them up lazily (see {@link ReleaseMarks}). */
    public ReleaseMarks releases() {
        return releases;
    }

    /** The audit events of this transaction, in order. */
    public List<AuditEvent> auditEvents() {
        return Collections.unmodifiableList(audit);
    }

    /** The registry part (instances, tombstones, notices) changed. */
    public boolean registryDirty() {
        return registryDirty;
    }

    /** The lock table part (locks, waiters, tokens) changed; release marks tell their own changes. */
    public boolean tableDirty() {
        return tableDirty;
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

    // ---- what a store may add

    public void audit(String event, String instance, String path, Long token, Map<String, Object> details) {
        audit.add(new AuditEvent(now, event, instance, path, token, details == null ? null : Map.copyOf(details)));
    }

    public void notify(String instance, Notice notice) {
        Objects.requireNonNull(notice, "notice");
        notices.computeIfAbsent(instance, k -> new ArrayList<>()).add(notice);
        registryDirty = true;
    }

    /** Puts notices back in front of the instance's pending ones, for the next call that reports them. */
    public void keepNotices(String instance, List<Notice> kept) {
        if (!kept.isEmpty()) {
            notices.computeIfAbsent(instance, k -> new ArrayList<>()).addAll(0, kept);
            registryDirty = true;
        }
    }

    /** The lock table must be written although no lock changed (its format changed, say). */
    public void rewriteTable() {
        tableDirty = true;
    }

    // ---- the rules' mutations

    /** A new fencing token. */
    long takeToken() {
        return tokens.getAsLong();
    }

    void putInstance(Instance instance) {
        instances.put(instance.id(), instance);
        registryDirty = true;
    }

    /** @return whether it was registered */
    boolean removeInstance(String id) {
        registryDirty = true;
        return instances.remove(id) != null;
    }

    /** Removes and returns the instance's pending notices, or null when it had none. */
    List<Notice> takeNotices(String instance) {
        List<Notice> pending = notices.remove(instance);
        if (pending != null) {
            registryDirty = true;
        }
        return pending;
    }

    void addTombstone(Tombstone stone) {
        tombstones.add(Objects.requireNonNull(stone, "stone"));
        registryDirty = true;
    }

    /** Removes and returns the instance's tombstone, or null. */
    Tombstone removeTombstone(String instance) {
        for (int i = 0; i < tombstones.size(); i++) {
            if (tombstones.get(i).instance().equals(instance)) {
                registryDirty = true;
                return tombstones.remove(i);
            }
        }
        return null;
    }

    /** Drops tombstones older than {@code horizon}, then the oldest beyond {@code max}. */
    void pruneTombstones(Instant horizon, int max) {
        if (tombstones.removeIf(t -> t.at().isBefore(horizon))) {
            registryDirty = true;
        }
        while (tombstones.size() > max) {
            tombstones.remove(0);
            registryDirty = true;
        }
    }

    /** Adds a lock; its token must be one no lock of the table has. */
    void addLock(LockRecord lock) {
        for (LockRecord l : locks) {
            if (l.token() == lock.token()) {
                throw new IllegalStateException("token " + lock.token() + " of " + lock.path()
                        + " is already the token of " + l.path() + " held by " + l.holder());
            }
        }
        locks.add(lock);
        tableDirty = true;
    }

    /** Replaces the lock at {@code index} with a new version of itself (renewed, made a lock of its own). */
    void setLock(int index, LockRecord lock) {
        LockRecord old = locks.get(index);
        if (old.token() != lock.token() || !old.path().equals(lock.path())) {
            throw new IllegalStateException("the lock on " + old.path() + " (token " + old.token()
                    + ") can only be replaced by a version of itself");
        }
        locks.set(index, lock);
        tableDirty = true;
    }

    void removeLock(int index) {
        locks.remove(index);
        tableDirty = true;
    }

    /**
     * Removes the locks the test accepts, in table order (the test may act on each, e.g. audit it).
     *
     * @return whether any was removed
     */
    boolean removeLocksIf(Predicate<LockRecord> test) {
        boolean any = locks.removeIf(test);
        tableDirty |= any;
        return any;
    }

    void addWaiter(Waiter waiter) {
        waiters.add(Objects.requireNonNull(waiter, "waiter"));
        tableDirty = true;
    }

    /** Replaces a queued wait by its new version (same instance). */
    void replaceWaiter(Waiter old, Waiter waiter) {
        int index = waiters.indexOf(old);
        if (index < 0 || !old.instance().equals(waiter.instance())) {
            throw new IllegalStateException(
                    "the wait of " + old.instance() + " can only be replaced by one of its own");
        }
        waiters.set(index, waiter);
        tableDirty = true;
    }

    /** @return whether any was removed */
    boolean removeWaitersIf(Predicate<Waiter> test) {
        boolean any = waiters.removeIf(test);
        tableDirty |= any;
        return any;
    }
}
