package dev.coord.engine.store.file;

import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseMark;
import dev.coord.engine.model.Waiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared state loaded for one transaction; {@link Rules} changes it, the store saves what is dirty. */
final class State {
    final Instant now;
    final LinkedHashMap<String, Instance> instances = new LinkedHashMap<>();
    final List<Tombstone> tombstones = new ArrayList<>();
    final LinkedHashMap<String, List<Notice>> notices = new LinkedHashMap<>();
    long nextToken;
    final List<LockRecord> locks = new ArrayList<>();
    final List<Waiter> waiters = new ArrayList<>();
    final LinkedHashMap<String, ReleaseMark> releases = new LinkedHashMap<>();
    final List<AuditEvent> audit = new ArrayList<>();
    boolean registryDirty;
    boolean tableDirty;

    State(Instant now, RegistryDoc registry, TableDoc table) {
        this.now = now;
        registry.instances().forEach(i -> instances.put(i.id(), i));
        tombstones.addAll(registry.tombstones());
        registry.notices().forEach((k, v) -> notices.put(k, new ArrayList<>(v)));
        nextToken = Math.max(1, table.nextToken());
        locks.addAll(table.locks());
        waiters.addAll(table.waiters());
        table.releases().forEach(r -> releases.put(r.path(), r));
    }

    RegistryDoc registryDoc() {
        Map<String, List<Notice>> copy = new LinkedHashMap<>();
        notices.forEach((k, v) -> {
            if (!v.isEmpty()) {
                copy.put(k, List.copyOf(v));
            }
        });
        return new RegistryDoc(RegistryDoc.VERSION, List.copyOf(instances.values()), tombstones, copy);
    }

    TableDoc tableDoc() {
        return new TableDoc(TableDoc.VERSION, nextToken, locks, waiters, List.copyOf(releases.values()));
    }

    void audit(String event, String instance, String path, Long token, Map<String, Object> details) {
        audit.add(new AuditEvent(now, event, instance, path, token, details == null ? null : Map.copyOf(details)));
    }

    void notify(String instance, Notice notice) {
        notices.computeIfAbsent(instance, k -> new ArrayList<>()).add(notice);
        registryDirty = true;
    }
}
