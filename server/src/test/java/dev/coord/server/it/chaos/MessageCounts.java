package dev.coord.server.it.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The messages part of the verdict: every message acknowledged to a driver is in {@code messages.jsonl} exactly once
 * (unless retention dropped it: older than the oldest message kept), no send was stored twice (its nonce under two
 * ids), and no session was given one message as unread twice.
 */
final class MessageCounts {
    static final String LOST = "messages lost";
    static final String DUPLICATED =
            "messages duplicated (an id twice in the log, acknowledged twice, or one send kept twice)";
    static final String READ_TWICE = "messages read as unread twice by one session";

    private MessageCounts() {}

    static void count(Verdict v, Ledger ledger, Path stateDir) {
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> nonces = new HashMap<>();
        Instant oldest = null;
        Path f = stateDir.resolve("messages.jsonl");
        try {
            if (Files.exists(f)) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    JsonNode n;
                    try {
                        n = RawServer.JSON.readTree(line);
                    } catch (RuntimeException e) {
                        continue; // counted as corrupt by StateCheck
                    }
                    String id = n.path("id").asString("");
                    if (id.isEmpty()) {
                        continue; // the header
                    }
                    ids.merge(id, 1, Integer::sum);
                    String nonce = nonce(n.path("body").asString(""));
                    if (nonce != null) {
                        nonces.merge(nonce, 1, Integer::sum);
                    }
                    Instant at = Instant.parse(n.path("at").asString());
                    if (oldest == null || at.isBefore(oldest)) {
                        oldest = at;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long lost = 0;
        long dupAck = 0;
        for (var e : ledger.messages.entrySet()) {
            Ledger.Sent sent = e.getValue();
            boolean dropped = oldest != null && sent.ackedAt().isBefore(oldest);
            if (!ids.containsKey(e.getKey()) && !dropped) {
                lost++;
                v.details.add("MESSAGE LOST: " + e.getKey());
            }
            if (sent.acks().get() > 1) {
                dupAck++;
                v.details.add("MESSAGE ID ACKNOWLEDGED TWICE: " + e.getKey());
            }
        }
        long dupLog = ids.values().stream().filter(n -> n > 1).count()
                + nonces.values().stream().filter(n -> n > 1).count();
        long readTwice =
                ledger.unreadSeen.values().stream().filter(n -> n.get() > 1).count();
        v.counts.merge("messages acknowledged", (long) (ledger.messages.size()), Long::sum);
        v.counts.merge("messages in the log", (long) (ids.size()), Long::sum);
        v.counts.merge("messages read", (long) (ledger.unreadSeen.size()), Long::sum);
        v.counts.merge(LOST, lost, Long::sum);
        v.counts.merge(DUPLICATED, dupLog + dupAck, Long::sum);
        v.counts.merge(READ_TWICE, readTwice, Long::sum);
    }

    /** The driver's nonce in a body: {@code chaos message <uuid>}. */
    static String nonce(String body) {
        return body.startsWith("chaos message ") ? body.substring("chaos message ".length()) : null;
    }

    static List<String> zeroes() {
        return List.of(LOST, DUPLICATED, READ_TWICE);
    }
}
