package dev.coord.engine.store.file;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseMark;
import dev.coord.engine.model.Waiter;
import dev.coord.engine.rules.Tombstone;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The file store's JSON: the lines of {@code audit.jsonl}, and the warm-up of every document's (de)serializers. */
final class StoreJson {
    static final int AUDIT_VERSION = 1;

    private StoreJson() {}

    /**
     * Builds the JSON (de)serializers of every document and log record now, outside the mutex. Built lazily on the
     * first transaction instead, they made a starting process hold the cross-process mutex for about 0.3 s (seconds
     * on a loaded machine), stalling every other process, heartbeats included.
     */
    static void warmUp(Instant t) {
        LockRequest request = new LockRequest("warm-up", LockMode.EXCLUSIVE, "0");
        LockRecord lock = new LockRecord("warm-up", LockMode.SHARED, "warm-up", 1, t, t, 1, "r", "0", "/");
        Instance instance =
                new Instance("warm-up", 1, t, "host", "boot", "/", "b", "c", "1", "s", "task", "role", t, t);
        RegistryDoc registry = new RegistryDoc(
                RegistryDoc.VERSION,
                List.of(instance),
                List.of(new Tombstone("warm-up", t, "r", List.of(lock))),
                Map.of("warm-up", List.of(new Notice(Notice.Kind.EXPIRED, "warm-up", 1, "b", "r", t))));
        TableDoc table = new TableDoc(
                TableDoc.VERSION,
                2,
                List.of(lock),
                List.of(new Waiter("warm-up", List.of(request), t, t)),
                List.of(new ReleaseMark("warm-up", "warm-up", "0", "/", t)));
        var pretty = Json.mapper().writerWithDefaultPrettyPrinter();
        Json.mapper().readValue(pretty.writeValueAsBytes(registry), RegistryDoc.class);
        Json.mapper().readValue(pretty.writeValueAsBytes(table), TableDoc.class);
        auditBytes(List.of(new AuditEvent(t, "warm-up", "warm-up", "warm-up", 1L, Map.of("k", 1))));
    }

    static byte[] auditBytes(List<AuditEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (AuditEvent e : events) {
            tools.jackson.databind.node.ObjectNode line = Json.mapper().createObjectNode();
            line.put("schemaVersion", AUDIT_VERSION);
            line.setAll((tools.jackson.databind.node.ObjectNode) Json.mapper().valueToTree(e));
            out.writeBytes(Json.mapper().writeValueAsString(line).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }
}
