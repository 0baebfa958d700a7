package dev.coord.engine.store.file;

import dev.coord.engine.io.AtomicFiles;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.Instance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code decisions.jsonl}: one decision per line, appended and forced to disk, read incrementally (only the bytes
 * added since the last read are parsed). Ids {@code DEC-YYYYMMDD-NNNN} (UTC date) are allocated under the store
 * mutex from the highest sequence of that day, so they are unique across processes.
 *
 * <p>Only a small index stays in memory (per decision: where its line is, its id, category, time and what it
 * supersedes, about 60 bytes); a decision is read back from the file when a query returns it, so a log of 100,000
 * decisions (32 MB) costs about 6 MB of heap instead of the whole log.
 */
final class DecisionLog {
    static final int VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    /** Lines read from the file in one go when a query walks the log. */
    private static final int BATCH = 256;

    /**
     * Where one decision's line is, and what queries filter on without reading it. Kept small, one per decision: an id
     * of the usual shape ({@code DEC-YYYYMMDD-NNNN}) is held as a number and the time as seconds and nanoseconds (56
     * bytes an entry where a record of strings and an {@code Instant} took about 130).
     */
    static final class Entry {
        final long offset;
        final int length;
        /** The id as {@code yyyymmdd * 1e9 + seq} when {@link #idText} is null. */
        private final long idCode;

        private final String idText;
        final String category;
        private final long createdSecond;
        private final int createdNano;
        final String supersedes;

        Entry(long offset, int length, String id, String category, Instant createdAt, String supersedes) {
            this.offset = offset;
            this.length = length;
            long code = encode(id);
            this.idCode = code;
            this.idText = code < 0 ? id : null;
            this.category = category;
            this.createdSecond = createdAt == null ? Long.MIN_VALUE : createdAt.getEpochSecond();
            this.createdNano = createdAt == null ? 0 : createdAt.getNano();
            this.supersedes = supersedes;
        }

        String id() {
            return idText != null ? idText : decode(idCode);
        }

        boolean hasId(String id) {
            return hasId(id, encode(id));
        }

        /** As {@link #hasId(String)}, with the id already {@link #encode encoded}: for a scan of many entries. */
        boolean hasId(String id, long code) {
            return idText != null ? idText.equals(id) : code == idCode;
        }

        /** Whether it was made at or after {@code t} (an entry without a time never is). */
        boolean madeAtOrAfter(Instant t) {
            if (createdSecond == Long.MIN_VALUE) {
                return false;
            }
            return createdSecond > t.getEpochSecond()
                    || (createdSecond == t.getEpochSecond() && createdNano >= t.getNano());
        }

        /**
         * {@code DEC-YYYYMMDD-NNNN} (four to nine digits, as {@code %04d} writes them) as one number, or -1 for any
         * other id: those keep their text. Only an id that decodes back to the very same text is encoded.
         */
        static long encode(String id) {
            if (id == null || id.length() < 17 || id.length() > 22 || !id.startsWith("DEC-") || id.charAt(12) != '-') {
                return -1;
            }
            long day = digits(id, 4, 12);
            long seq = digits(id, 13, id.length());
            if (day < 0 || seq < 0) {
                return -1;
            }
            // %04d writes four digits, or more without a leading zero: any other spelling keeps its text
            boolean canonical = id.length() == 17 || id.charAt(13) != '0';
            return canonical ? day * 1_000_000_000L + seq : -1;
        }

        private static long digits(String s, int from, int to) {
            long v = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }

        static String decode(long code) {
            StringBuilder id = new StringBuilder(22).append("DEC-");
            padded(id, code / 1_000_000_000L, 8).append('-');
            return padded(id, code % 1_000_000_000L, 4).toString();
        }

        private static StringBuilder padded(StringBuilder sb, long value, int width) {
            String digits = Long.toString(value);
            for (int i = digits.length(); i < width; i++) {
                sb.append('0');
            }
            return sb.append(digits);
        }
    }

    private final Path file;
    private final AppendLog log;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Integer> maxSeqByDay = new HashMap<>();
    private final Map<String, String> categories = new HashMap<>();
    private Object fileKey;
    private long offset;
    private int skippedLines;

    DecisionLog(Path file) {
        this.file = file;
        this.log = new AppendLog(file, true, 0);
    }

    /** Every decision in file order (oldest first); reads the whole log. */
    synchronized List<Decision> all() throws IOException {
        List<Decision> out = newest(e -> true, d -> true, Integer.MAX_VALUE);
        Collections.reverse(out);
        return out;
    }

    /**
     * Up to {@code limit} decisions, newest first, whose entry passes {@code entryTest} and whose decision passes
     * {@code test}; only lines whose entry passes are read from the file.
     */
    synchronized List<Decision> newest(Predicate<Entry> entryTest, Predicate<Decision> test, int limit)
            throws IOException {
        return newest(entryTest, null, test, limit);
    }

    /**
     * As {@link #newest(Predicate, Predicate, int)}, with {@code lineTest} a cheap necessary condition on the raw
     * line (e.g. the words of a text search, lower-cased) checked before the line is parsed.
     */
    synchronized List<Decision> newest(
            Predicate<Entry> entryTest, Predicate<String> lineTest, Predicate<Decision> test, int limit)
            throws IOException {
        refresh();
        List<Decision> out = new ArrayList<>();
        if (entries.isEmpty()) {
            return out;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int hi = entries.size() - 1; hi >= 0 && out.size() < limit; hi -= BATCH) {
                int lo = Math.max(0, hi - BATCH + 1);
                // read only what is needed: from the oldest wanted entry of this batch to the newest
                int first = -1;
                int last = -1;
                for (int i = hi; i >= lo; i--) {
                    if (entryTest.test(entries.get(i))) {
                        if (last < 0) {
                            last = i;
                        }
                        first = i;
                    }
                }
                if (last < 0) {
                    continue;
                }
                Entry a = entries.get(first);
                Entry b = entries.get(last);
                byte[] bytes = AtomicFiles.readAt(ch, a.offset, (int) (b.offset + b.length - a.offset));
                for (int i = last; i >= first && out.size() < limit; i--) {
                    Entry e = entries.get(i);
                    if (!entryTest.test(e)) {
                        continue;
                    }
                    int from = (int) (e.offset - a.offset);
                    if (from + e.length > bytes.length) {
                        throw new IOException(file.getFileName() + " is shorter than its index: was it edited?");
                    }
                    if (lineTest != null) {
                        String line = new String(bytes, from, e.length, StandardCharsets.UTF_8);
                        // JSON escapes can hide a word from a search in the raw text: such lines are parsed
                        if (line.indexOf('\\') < 0 && !lineTest.test(line.toLowerCase(Locale.ROOT))) {
                            continue;
                        }
                    }
                    Decision d = parse(bytes, from, e.length);
                    if (d != null && test.test(d)) {
                        out.add(d);
                    }
                }
            }
        }
        return out;
    }

    /** The newest decision with this id. */
    synchronized Optional<Decision> byId(String id) throws IOException {
        long code = Entry.encode(id);
        List<Decision> found = newest(e -> e.hasId(id, code), d -> true, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** For each of {@code ids} that a later decision supersedes: the id of that decision. */
    synchronized Map<String, String> supersededBy(Collection<String> ids) throws IOException {
        refresh();
        Map<String, String> out = new HashMap<>();
        for (Entry e : entries) {
            if (e.supersedes != null && ids.contains(e.supersedes)) {
                out.put(e.supersedes, e.id());
            }
        }
        return out;
    }

    /** Indexes the log now; no mutex needed (only whole lines are read), so that a first append does not do it under the mutex. */
    synchronized void prime() throws IOException {
        refresh();
    }

    synchronized int size() throws IOException {
        refresh();
        return entries.size();
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
        if (entries.isEmpty() || !entries.get(entries.size() - 1).hasId(d.id())) {
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
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            long pos = offset;
            // bytes of a line that continues past the end of the buffer
            ByteArrayOutputStream partial = new ByteArrayOutputStream();
            long lineStart = offset;
            int n;
            while ((n = ch.read(buf, pos)) > 0) {
                byte[] chunk = buf.array();
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        byte[] lineBytes;
                        int from;
                        int length;
                        if (partial.size() > 0) {
                            partial.write(chunk, start, i - start);
                            lineBytes = partial.toByteArray();
                            from = 0;
                            length = lineBytes.length;
                            partial.reset();
                        } else {
                            lineBytes = chunk;
                            from = start;
                            length = i - start;
                        }
                        index(lineBytes, from, length, lineStart);
                        lineStart += length + 1;
                        start = i + 1;
                    }
                }
                partial.write(chunk, start, n - start);
                pos += n;
                buf.clear();
            }
            offset = lineStart;
        }
    }

    /** Parses one line for the index; a bad line is counted and skipped. */
    private void index(byte[] bytes, int from, int length, long at) {
        if (length == 0) {
            return;
        }
        Decision d = parse(bytes, from, length);
        if (d == null) {
            skippedLines++;
            LOG.warn("{}: skipped an unreadable line at byte {}", file.getFileName(), at);
            return;
        }
        String category = d.category() == null ? null : categories.computeIfAbsent(d.category(), c -> c);
        entries.add(new Entry(at, length, d.id(), category, d.createdAt(), d.supersedes()));
        String id = d.id();
        if (id.length() >= 17 && id.startsWith("DEC-")) {
            try {
                String day = id.substring(4, 12);
                int seq = Integer.parseInt(id.substring(13));
                maxSeqByDay.merge(day, seq, Math::max);
            } catch (NumberFormatException e) {
                // not an id this code allocated; it cannot collide with one
            }
        }
    }

    private Decision parse(byte[] bytes, int from, int length) {
        try {
            JsonNode node = Json.mapper().readTree(bytes, from, length);
            JsonNode version = node.get("schemaVersion");
            if (version == null || version.asInt() != VERSION) {
                throw new IllegalStateException("unknown schemaVersion " + version);
            }
            return Json.mapper().treeToValue(node, Decision.class);
        } catch (JacksonException | IllegalStateException | NullPointerException e) {
            LOG.debug("{}: unreadable line ({})", file.getFileName(), e.getMessage());
            return null;
        }
    }

    private void reset(Object newKey) {
        entries.clear();
        maxSeqByDay.clear();
        categories.clear();
        offset = 0;
        skippedLines = 0;
        fileKey = newKey;
    }
}
