package dev.coord.engine.store.file;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.AuditEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The newest events of {@code audit.jsonl} (and of {@code audit.jsonl.1} when the current file holds fewer), read
 * from the end of the files without the store's mutex: each record is one {@code write()}, so a reader sees whole
 * lines, except perhaps a torn last one after a crash, which is skipped. The result is cached and re-read only when
 * the file's size or modification time changed, so a dashboard polling it costs one {@code stat} per poll.
 */
final class AuditTail {
    /** How far back from the end a read goes; audit records are a few hundred bytes. */
    static final int WINDOW = 1 << 20;

    private final Path file;
    private long cachedSize = -1;
    private long cachedModified = -1;
    private List<AuditEvent> cached = List.of();
    private int cachedLimit;

    AuditTail(Path file) {
        this.file = file;
    }

    /** The newest {@code limit} events, newest first. */
    synchronized List<AuditEvent> newest(int limit) throws IOException {
        long size;
        long modified;
        try {
            size = Files.size(file);
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (NoSuchFileException e) {
            size = 0;
            modified = 0;
        }
        if (size == cachedSize && modified == cachedModified && limit <= cachedLimit) {
            // The very same list while nothing changed, so that a caller can tell "unchanged" by identity.
            return limit >= cached.size() ? cached : cached.subList(0, limit);
        }
        List<AuditEvent> events = new ArrayList<>(tail(file, limit));
        if (events.size() < limit) {
            List<AuditEvent> older = tail(file.resolveSibling(file.getFileName() + ".1"), limit - events.size());
            events.addAll(older);
        }
        cached = List.copyOf(events);
        cachedSize = size;
        cachedModified = modified;
        cachedLimit = limit;
        return cached;
    }

    /** The newest {@code limit} parsable events of one file, newest first. */
    private static List<AuditEvent> tail(Path p, int limit) throws IOException {
        if (limit <= 0 || !Files.exists(p)) {
            return List.of();
        }
        byte[] bytes;
        boolean fromStart;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = Math.max(0, size - WINDOW);
            fromStart = start == 0;
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
                // read until the window is full
            }
            bytes = buf.array();
        } catch (NoSuchFileException e) {
            return List.of();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        List<AuditEvent> out = new ArrayList<>();
        // The first line of a window that does not start at the file's start is a fragment; the last is either
        // empty (the file ends with a newline) or torn.
        int first = fromStart ? 0 : 1;
        for (int i = lines.length - 2; i >= first && out.size() < limit; i--) {
            AuditEvent e = parse(lines[i]);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    static AuditEvent parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode n = Json.mapper().readTree(line);
            if (!n.isObject() || !n.hasNonNull("at") || !n.hasNonNull("event")) {
                return null;
            }
            Map<String, Object> details = null;
            JsonNode d = n.get("details");
            if (d != null && d.isObject()) {
                details = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> f : d.properties()) {
                    JsonNode v = f.getValue();
                    details.put(
                            f.getKey(),
                            v.isNumber()
                                    ? v.numberValue()
                                    : v.isBoolean() ? v.asBoolean() : v.isString() ? v.asString() : v.toString());
                }
                details = Collections.unmodifiableMap(details);
            }
            JsonNode token = n.get("token");
            return new AuditEvent(
                    Instant.parse(n.get("at").asString()),
                    n.get("event").asString(),
                    text(n, "instance"),
                    text(n, "path"),
                    token != null && token.canConvertToLong() ? token.asLong() : null,
                    details);
        } catch (RuntimeException e) {
            return null; // a torn or foreign line
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
