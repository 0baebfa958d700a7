package dev.coord.engine.store.file;

import dev.coord.engine.io.AtomicFiles;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.Message;
import dev.coord.engine.store.MessageBox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * The file store's messages: {@code messages.jsonl} (a header line with the schema version and a generation id, then
 * one message per line, appended in one {@code write()} each and forced to disk) and {@code message-reads.json} (per
 * recipient, the ids it has read; replaced atomically, set aside when damaged, whereupon messages show as unread again
 * rather than being lost). Retention rewrites {@code messages.jsonl} whole under a new generation id.
 *
 * <p>Every process keeps the parsed messages, indexed by recipient, and reads only the bytes appended since its last
 * read; a new generation (another process pruned) makes it read the file again. A line cut short by a crash is skipped.
 * So a recipient's unread summary, asked on every tool call, costs what that recipient received, not what the file
 * holds, and nothing when neither the file nor the read marks changed ({@link MessageDocs.Stamp}).
 */
final class MessageFiles {
    private static final Logger LOG = LoggerFactory.getLogger(MessageFiles.class);
    static final int VERSION = 1;

    private final Path file;
    private final AppendLog log;
    private final JsonDocFile<MessageDocs.ReadsDoc> reads;

    private byte[] header;
    private long parsedTo;
    private final LinkedHashMap<String, Message> cache = new LinkedHashMap<>();
    private final Map<String, List<Message>> byRecipient = new HashMap<>();

    MessageFiles(Path dir, Clock clock, Consumer<String> problems) {
        this.file = dir.resolve("messages.jsonl");
        this.log = new AppendLog(file, true, 0);
        this.reads = new JsonDocFile<>(
                dir.resolve("message-reads.json"),
                MessageDocs.ReadsDoc.class,
                MessageDocs.ReadsDoc::schemaVersion,
                VERSION,
                MessageDocs.ReadsDoc::empty,
                clock,
                problems);
    }

    /** Runs {@code body} on a box that writes; call only while holding the store mutex. */
    <T> T inTransaction(Function<MessageBox, T> body) {
        try {
            Box box = new Box(true);
            T result = body.apply(box);
            if (box.readsDirty) {
                reads.write(new MessageDocs.ReadsDoc(VERSION, box.marks()), false);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code body} on a box that only reads, without the mutex. */
    <T> T view(Function<MessageBox, T> body) {
        return body.apply(new Box(false));
    }

    /** The messages as the file holds them now, oldest first. */
    synchronized List<Message> all() throws IOException {
        refresh();
        return List.copyOf(cache.values());
    }

    /** Brings the parsed messages up to date with the file: reads what was appended, or all of a new generation. */
    private synchronized void refresh() throws IOException {
        byte[] head = headerBytes();
        if (head == null) {
            forget();
            header = null;
            parsedTo = 0;
            return;
        }
        if (header == null || !Arrays.equals(head, header)) {
            forget();
            header = head;
            parsedTo = head.length;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < parsedTo) {
                forget();
                parsedTo = head.length;
            }
            if (size > parsedTo) {
                byte[] tail = AtomicFiles.readAt(ch, parsedTo, (int) Math.min(Integer.MAX_VALUE - 16, size - parsedTo));
                int end = lastNewline(tail);
                int start = 0;
                for (int i = 0; i < end; i++) {
                    if (tail[i] == '\n') {
                        parse(tail, start, i);
                        start = i + 1;
                    }
                }
                parsedTo += end;
            }
        }
    }

    /**
     * Takes what this process just wrote as the new generation (under the store's exclusion, so nothing was appended
     * since): the messages it kept stay parsed, instead of being read and parsed again by the next call (which would
     * make every prune a heap's worth of garbage).
     */
    private synchronized void adopt(byte[] head, long length, List<Message> kept) {
        forget();
        for (Message m : kept) {
            cache.put(m.id(), m);
            for (String r : m.recipients()) {
                byRecipient.computeIfAbsent(r, k -> new ArrayList<>()).add(m);
            }
        }
        header = head;
        parsedTo = length;
    }

    private void forget() {
        cache.clear();
        byRecipient.clear();
    }

    private void parse(byte[] bytes, int from, int to) {
        if (to <= from) {
            return;
        }
        try {
            Message m = Json.mapper().readValue(bytes, from, to - from, Message.class);
            if (cache.put(m.id(), m) != null) {
                // the same id twice (never written so): keep the index in step with the map
                byRecipient.values().forEach(list -> list.removeIf(x -> x.id().equals(m.id())));
            }
            for (String r : m.recipients()) {
                byRecipient.computeIfAbsent(r, k -> new ArrayList<>()).add(m);
            }
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            LOG.warn(
                    "{}: skipped a line that is not a message ({} bytes; a write cut short by a crash?): {}",
                    file,
                    to - from,
                    e.getMessage());
        }
    }

    private static int lastNewline(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    /** The first line with its newline, or null when the file does not exist or has no complete first line. */
    private byte[] headerBytes() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(256);
            ch.read(buf, 0);
            byte[] b = Arrays.copyOf(buf.array(), buf.position());
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '\n') {
                    return Arrays.copyOf(b, i + 1);
                }
            }
            return null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static byte[] line(Object value) {
        byte[] json = Json.mapper().writeValueAsBytes(value);
        byte[] out = Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    private static byte[] newHeader() {
        return line(new MessageDocs.Header(VERSION, UUID.randomUUID().toString()));
    }

    private final class Box implements MessageBox {
        private Map<String, List<String>> marks;
        final boolean writes;
        boolean readsDirty;
        /** Whether this box already brought the parsed messages up to date with the file. */
        private boolean fresh;

        Box(boolean writes) {
            this.writes = writes;
        }

        /** The read marks, loaded on first use (a release that follows up no request never reads them). */
        Map<String, List<String>> marks() {
            if (marks == null) {
                try {
                    marks = new HashMap<>();
                    reads.read(writes).reads().forEach((k, v) -> marks.put(k, new ArrayList<>(v)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return marks;
        }

        private List<Message> messages() {
            upToDate();
            synchronized (MessageFiles.this) {
                return List.copyOf(cache.values());
            }
        }

        /**
         * Reads what the file gained, once per box: a box lives for one transaction (under the store's mutex nobody
         * else appends) or one view, and its own append makes the next read look again.
         */
        private void upToDate() {
            if (fresh) {
                return;
            }
            try {
                refresh();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            fresh = true;
        }

        /**
         * The generation and length of the log read so far and the read marks as last parsed (the same object while
         * {@code message-reads.json} keeps its bytes): equal to an earlier stamp only when neither changed in between.
         */
        @Override
        public Object stamp() {
            upToDate();
            try {
                MessageDocs.ReadsDoc doc = reads.read(false);
                synchronized (MessageFiles.this) {
                    return new MessageDocs.Stamp(
                            header == null ? "" : new String(header, StandardCharsets.UTF_8), parsedTo, doc);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean exists(String id) {
            return byId(id).isPresent();
        }

        @Override
        public Optional<Message> byId(String id) {
            upToDate();
            synchronized (MessageFiles.this) {
                return Optional.ofNullable(cache.get(id));
            }
        }

        @Override
        public void append(Message m) {
            check();
            try {
                if (headerBytes() == null) {
                    AtomicFiles.write(file, newHeader(), true);
                }
                log.append(line(m));
                fresh = false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<Message> deliveredTo(String recipient) {
            upToDate();
            synchronized (MessageFiles.this) {
                return List.copyOf(byRecipient.getOrDefault(recipient, List.of()));
            }
        }

        @Override
        public List<Message> thread(String threadId) {
            List<Message> out = new ArrayList<>();
            for (Message m : messages()) {
                if (m.thread().equals(threadId)) {
                    out.add(m);
                }
            }
            return out;
        }

        @Override
        public List<Message> newest(int limit) {
            List<Message> all = messages();
            return all.subList(Math.max(0, all.size() - limit), all.size());
        }

        @Override
        public List<Message> since(Message.Kind kind, Instant after) {
            List<Message> out = new ArrayList<>();
            for (Message m : messages()) {
                if (m.kind() == kind && !m.at().isBefore(after)) {
                    out.add(m);
                }
            }
            return out;
        }

        @Override
        public Set<String> readBy(String recipient) {
            if (marks == null && !writes) {
                // a view reads one recipient's marks, without copying everyone's
                try {
                    return new LinkedHashSet<>(reads.read(false).reads().getOrDefault(recipient, List.of()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new LinkedHashSet<>(marks().getOrDefault(recipient, List.of()));
        }

        @Override
        public void markRead(String recipient, Collection<String> ids) {
            check();
            List<String> list = marks().computeIfAbsent(recipient, k -> new ArrayList<>());
            for (String id : ids) {
                if (!list.contains(id)) {
                    list.add(id);
                }
            }
            readsDirty = true;
        }

        @Override
        public int prune(Instant before, int keepAtMost) {
            check();
            List<Message> all = messages();
            List<Message> keep = new ArrayList<>();
            for (Message m : all) {
                if (!m.at().isBefore(before)) {
                    keep.add(m);
                }
            }
            if (keep.size() > keepAtMost) {
                keep = keep.subList(keep.size() - keepAtMost, keep.size());
            }
            int dropped = all.size() - keep.size();
            if (dropped == 0) {
                return 0;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] head = newHeader();
            out.writeBytes(head);
            Set<String> kept = new java.util.HashSet<>();
            for (Message m : keep) {
                out.writeBytes(line(m));
                kept.add(m.id());
            }
            try {
                AtomicFiles.write(file, out.toByteArray(), true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            adopt(head, out.size(), keep);
            marks().values().forEach(ids -> ids.retainAll(kept));
            marks().values().removeIf(List::isEmpty);
            readsDirty = true;
            LOG.info("{}: dropped {} message(s) past retention", file, dropped);
            return dropped;
        }

        @Override
        public Kept kept() {
            upToDate();
            synchronized (MessageFiles.this) {
                return new Kept(
                        cache.size(),
                        cache.isEmpty()
                                ? null
                                : cache.values().iterator().next().at());
            }
        }

        private void check() {
            if (!writes) {
                throw new IllegalStateException("a message view does not write");
            }
        }
    }
}
