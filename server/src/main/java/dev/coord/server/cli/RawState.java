package dev.coord.server.cli;

import dev.coord.engine.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The state files as written, before the store drops dead instances and expired leases from its view: what
 * {@code locks check} needs to tell an expired lock (11) or a dead holder (13) from a free path, and what
 * {@code cleanup} counts. Read without the mutex: the files are replaced atomically, never torn.
 */
record RawState(List<String> instanceIds, List<RawLock> locks, int waiters) {

    /** A lock entry as written. */
    record RawLock(String path, String mode, String holder, Instant expiresAt) {}

    static RawState read(Path stateDir) {
        JsonNode registry = tree(stateDir.resolve("registry.json"));
        JsonNode table = tree(stateDir.resolve("locks.json"));
        List<String> ids = new ArrayList<>();
        for (JsonNode i : registry.path("instances").values()) {
            ids.add(i.path("id").asString(""));
        }
        List<RawLock> locks = new ArrayList<>();
        for (JsonNode l : table.path("locks").values()) {
            locks.add(new RawLock(
                    l.path("path").asString(""),
                    l.path("mode").asString("exclusive"),
                    l.path("holder").asString(""),
                    instant(l.path("expires_at").asString(null))));
        }
        return new RawState(ids, locks, table.path("waiters").size());
    }

    private static JsonNode tree(Path file) {
        try {
            return Json.mapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Json.mapper().createObjectNode();
        } catch (IOException | JacksonException e) {
            // a damaged file: the store sets it aside and reports it; count nothing here
            return Json.mapper().createObjectNode();
        }
    }

    private static Instant instant(String s) {
        if (s == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
