package dev.coord.engine.mission;

import java.util.Objects;

/**
 * One top-level {@code key: value} entry of a mission's metadata block.
 *
 * @param key the key as written
 * @param line the 1-based line of the file that holds the key
 * @param value the parsed value
 */
record MetadataField(String key, int line, MetadataValue value) {
    public MetadataField {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
