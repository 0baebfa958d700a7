package dev.coord.engine.store.file;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Notice;
import dev.coord.engine.rules.Tombstone;
import java.util.List;
import java.util.Map;

/** The content of {@code registry.json}. */
record RegistryDoc(
        @JsonProperty("schemaVersion") int schemaVersion,
        List<Instance> instances,
        List<Tombstone> tombstones,
        Map<String, List<Notice>> notices) {

    static final int VERSION = 1;

    RegistryDoc {
        instances = instances == null ? List.of() : List.copyOf(instances);
        tombstones = tombstones == null ? List.of() : List.copyOf(tombstones);
        notices = notices == null ? Map.of() : Map.copyOf(notices);
    }

    static RegistryDoc empty() {
        return new RegistryDoc(VERSION, List.of(), List.of(), Map.of());
    }
}
