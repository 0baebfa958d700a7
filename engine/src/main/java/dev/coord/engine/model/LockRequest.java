package dev.coord.engine.model;

import java.util.Objects;

/**
 * One path wanted by an acquire call, already normalized to a key.
 *
 * @param path lock key
 * @param mode wanted mode
 * @param sha256 current content hash of the file, or null (directory, missing file)
 */
public record LockRequest(String path, LockMode mode, String sha256) {
    public LockRequest {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
    }
}
