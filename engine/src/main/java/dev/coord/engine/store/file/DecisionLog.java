package dev.coord.engine.store.file;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.Instance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code decisions.jsonl}: one decision per line, appended and forced to disk, read incrementally (only the bytes
 * added since the last read are parsed). Ids {@code DEC-YYYYMMDD-NNNN} (UTC date) are allocated under the store
 * mutex from the highest sequence of that day, so they are unique across processes.
 */
final class DecisionLog {
    static final int VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final Path file;
    private final AppendLog log;
    private final List<Decision> decisions = new ArrayList<>();
    private final Map<String, Integer> maxSeqByDay = new HashMap<>();
    private Object fileKey;
    private long offset;
    private int skippedLines;

    DecisionLog(Path file) {
        this.file = file;
        this.log = new AppendLog(file, true, 0);
    }

    /** Every decision in file order (oldest first). */
    synchronized List<Decision> all() throws IOException {
        refresh();
        return Collections.unmodifiableList(new ArrayList<>(decisions));
    }

    synchronized int skippedLines() {
        return skippedLines;
    }

    /** Appends a new decision. The caller holds the store mutex. */
    synchronized Decision append(Instance author, DecisionDraft draft, Instant now) throws IOException {
        refresh();
        String day = DAY.format(now);
        int seq = maxSeqByDay.getOrDefault(day, 0) + 1;
        Decision d = new Decision(
                String.format("DEC-%s-%04d", day, seq),
                draft.category(),
                draft.title(),
                draft.description(),
                draft.scope(),
                draft.tags(),
                author.id(),
                author.task(),
                now,
                draft.supersedes());
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("schemaVersion", VERSION);
        line.setAll((ObjectNode) Json.mapper().valueToTree(d));
        byte[] bytes =
                (Json.mapper().writeValueAsString(line) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        log.append(bytes);
        refresh();
        if (decisions.isEmpty() || !decisions.get(decisions.size() - 1).id().equals(d.id())) {
            throw new IOException("decision " + d.id() + " was written but does not read back from " + file);
        }
        return d;
    }

    private void refresh() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            reset(null);
            return;
        }
        if (!Objects.equals(attrs.fileKey(), fileKey) || attrs.size() < offset) {
            reset(attrs.fileKey());
        }
        if (attrs.size() == offset) {
            return;
        }
        byte[] tail;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(1 << 20, ch.size() - offset));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = offset;
            while (ch.read(buf, pos) > 0) {
                buf.flip();
                pos += buf.remaining();
                out.write(buf.array(), 0, buf.remaining());
                buf.clear();
            }
            tail = out.toByteArray();
        }
        int start = 0;
        for (int i = 0; i < tail.length; i++) {
            if (tail[i] == '\n') {
                parseLine(tail, start, i - start, offset + start);
                start = i + 1;
            }
        }
        offset += start;
    }

    private void parseLine(byte[] bytes, int from, int length, long at) {
        if (length == 0) {
            return;
        }
        try {
            JsonNode node = Json.mapper().readTree(bytes, from, length);
            JsonNode version = node.get("schemaVersion");
            if (version == null || version.asInt() != VERSION) {
                throw new IllegalStateException("unknown schemaVersion " + version);
            }
            Decision d = Json.mapper().treeToValue(node, Decision.class);
            decisions.add(d);
            String id = d.id();
            if (id.length() >= 17 && id.startsWith("DEC-")) {
                String day = id.substring(4, 12);
                int seq = Integer.parseInt(id.substring(13));
                maxSeqByDay.merge(day, seq, Math::max);
            }
        } catch (JacksonException | IllegalStateException | NumberFormatException | NullPointerException e) {
            skippedLines++;
            LOG.warn("{}: skipped an unreadable line at byte {} ({})", file.getFileName(), at, e.getMessage());
        }
    }

    private void reset(Object newKey) {
        decisions.clear();
        maxSeqByDay.clear();
        offset = 0;
        skippedLines = 0;
        fileKey = newKey;
    }
}
