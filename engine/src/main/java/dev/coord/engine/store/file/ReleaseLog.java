package dev.coord.engine.store.file;

import dev.coord.engine.io.AtomicFiles;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.ReleaseMark;
import dev.coord.engine.rules.LockRules;
import dev.coord.engine.rules.ReleaseMarks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code releases.jsonl}: the release marks, kept out of {@code locks.json} so that a busy repository's thousands of
 * marks are not re-read, re-parsed and rewritten by every lock call. The first line is a header with a random
 * {@code epoch}; every later line puts the mark of a path or removes it ({@code "removed": true}). A process keeps the
 * marks in memory and, inside a transaction that needs them, parses only the lines appended since it last looked; a
 * new epoch (the file was compacted) makes it read the file again from the start.
 *
 * <p>Used only under the store mutex. A transaction's changes are appended at its end as one {@code write()}; when
 * the file holds more than twice {@link LockRules#RELEASE_MARK_MAX} lines it is rewritten (temp file and atomic rename)
 * with only the live marks and a new epoch. Not forced to disk: a mark only lets a later grant report that the file
 * changed since its release. A line torn by a crash is skipped and closed with a newline before the next append; a
 * file whose header does not read is set aside as {@code releases.jsonl.corrupt-<time>}.
 */
final class ReleaseLog {
    static final int VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseLog.class);

    private final Path file;
    private final int max;
    private final Clock clock;
    private final Consumer<String> problems;

    /** The live marks, least recently released first. */
    private final LinkedHashMap<String, ReleaseMark> marks = new LinkedHashMap<>();
    /** Epoch of the file the marks were read from; null when nothing is cached. */
    private String epoch;
    /** The header line the cached {@link #epoch} was read from: the same bytes again need no parsing. */
    private byte[] header;
    /** Bytes of the file already applied to {@link #marks}. */
    private long offset;
    /** Lines after the header in the file, live or not. */
    private int lines;

    ReleaseLog(Path file, int max, Clock clock, Consumer<String> problems) {
        this.file = file;
        this.max = max;
        this.clock = clock;
        this.problems = problems;
    }

    ReleaseLog(Path file, Clock clock, Consumer<String> problems) {
        this(file, LockRules.RELEASE_MARK_MAX, clock, problems);
    }

    Path path() {
        return file;
    }

    /** The marks of one transaction: read on first use, written by {@link Tx#commit()}. */
    Tx begin() {
        return new Tx();
    }

    /** Marks as of now, least recently released first (for tests and tools); call under the store mutex. */
    synchronized List<ReleaseMark> all() throws IOException {
        refresh(true);
        return new ArrayList<>(marks.values());
    }

    /**
     * Reads the file into memory without the store mutex, so that the first transaction that needs the marks does not
     * parse thousands of lines while holding it. Safe without the mutex: only whole lines are applied, a compaction
     * replaces the file atomically (the next read under the mutex sees the new epoch and reads again), and an
     * unreadable file is left for a transaction to set aside.
     */
    synchronized void prime() throws IOException {
        refresh(false);
    }

    final class Tx implements ReleaseMarks {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private int pendingLines;
        private boolean loaded;
        private boolean done;

        private void load() {
            if (!loaded) {
                try {
                    refresh(true);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                loaded = true;
            }
        }

        @Override
        public ReleaseMark remove(String path) {
            synchronized (ReleaseLog.this) {
                load();
                ReleaseMark m = marks.remove(path);
                if (m != null) {
                    ObjectNode line = Json.mapper().createObjectNode();
                    line.put("path", path);
                    line.put("removed", true);
                    add(line);
                }
                return m;
            }
        }

        @Override
        public void put(ReleaseMark mark) {
            synchronized (ReleaseLog.this) {
                load();
                apply(mark);
                add(Json.mapper().valueToTree(mark));
            }
        }

        /** Carries marks found in an old {@code locks.json} over to the log (oldest first). */
        void importLegacy(List<ReleaseMark> legacy) {
            synchronized (ReleaseLog.this) {
                load();
                for (ReleaseMark m : legacy) {
                    apply(m);
                    add(Json.mapper().valueToTree(m));
                }
            }
        }

        private void add(JsonNode line) {
            pending.writeBytes(Json.mapper().writeValueAsBytes(line));
            pending.write('\n');
            pendingLines++;
        }

        /** Appends this transaction's changes; call once, at the end of the transaction, under the mutex. */
        void commit() throws IOException {
            synchronized (ReleaseLog.this) {
                done = true;
                if (pendingLines == 0) {
                    return;
                }
                try {
                    append(pending.toByteArray(), pendingLines);
                } catch (IOException | RuntimeException e) {
                    forget();
                    throw e;
                }
            }
        }

        /** After a failed transaction: the cached marks may hold changes that never reached the file. */
        void abandon() {
            synchronized (ReleaseLog.this) {
                if (!done && pendingLines > 0) {
                    forget();
                }
                done = true;
            }
        }
    }

    private void apply(ReleaseMark mark) {
        marks.remove(mark.path());
        marks.put(mark.path(), mark);
        while (marks.size() > max) {
            Iterator<String> oldest = marks.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private void forget() {
        marks.clear();
        epoch = null;
        header = null;
        offset = 0;
        lines = 0;
    }

    /**
     * Brings {@link #marks} up to date with the file.
     *
     * @param repair set an unreadable file aside (only under the store mutex)
     */
    private void refresh(boolean repair) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (epoch != null && size >= offset && sameEpoch(ch)) {
                if (size > offset) {
                    offset += applyLines(read(ch, offset, size), offset);
                }
                return;
            }
            forget();
            byte[] all = read(ch, 0, size);
            int eol = indexOf(all, 0, (byte) '\n');
            String e = eol < 0 ? null : epochOf(all, eol);
            if (e == null) {
                if (size > 0 && repair) {
                    setAside("its header line does not read");
                }
                return;
            }
            epoch = e;
            header = Arrays.copyOf(all, eol);
            offset = eol + 1 + applyLines(Arrays.copyOfRange(all, eol + 1, all.length), eol + 1);
        } catch (NoSuchFileException e) {
            forget();
        }
    }

    /** Applies every whole line of {@code bytes}; returns the bytes consumed (a torn last line is left). */
    private int applyLines(byte[] bytes, long at) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                applyLine(bytes, start, i - start, at + start);
                start = i + 1;
            }
        }
        return start;
    }

    private void applyLine(byte[] bytes, int from, int length, long at) {
        if (length == 0) {
            return;
        }
        lines++;
        try {
            JsonNode node = Json.mapper().readTree(bytes, from, length);
            String path = node.path("path").asString(null);
            if (path == null) {
                throw new IllegalStateException("no path");
            }
            if (node.path("removed").asBoolean(false)) {
                marks.remove(path);
            } else {
                apply(Objects.requireNonNull(Json.mapper().treeToValue(node, ReleaseMark.class)));
            }
        } catch (JacksonException | IllegalStateException | NullPointerException e) {
            LOG.warn("{}: skipped an unreadable line at byte {} ({})", file.getFileName(), at, e.getMessage());
        }
    }

    private void append(byte[] records, int count) throws IOException {
        boolean fresh = epoch == null;
        if (fresh) {
            // no readable file (or none at all): start one; nothing was lost that the cache still holds
            rewrite(List.copyOf(marks.values()));
            // the records were applied to the cache already; rewrite() wrote every live mark
            compactIfLong();
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long size = ch.size();
            byte[] out = records;
            if (size > 0 && !endsWithNewline(size)) {
                out = new byte[records.length + 1];
                out[0] = '\n';
                System.arraycopy(records, 0, out, 1, records.length);
            }
            try {
                ByteBuffer buf = ByteBuffer.wrap(out);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            } catch (IOException e) {
                AppendLog.cutBack(ch, size, e);
                throw e;
            }
            offset = ch.size();
        } catch (NoSuchFileException e) {
            // deleted by hand between the read and now: start a new file with what is known
            rewrite(List.copyOf(marks.values()));
            return;
        }
        lines += count;
        compactIfLong();
    }

    private void compactIfLong() throws IOException {
        if (lines > 2 * max) {
            rewrite(List.copyOf(marks.values()));
        }
    }

    /** Replaces the file with a new epoch and the given marks. */
    private void rewrite(List<ReleaseMark> live) throws IOException {
        String e = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + live.size() * 200);
        ObjectNode header = Json.mapper().createObjectNode();
        header.put("schemaVersion", VERSION);
        header.put("epoch", e);
        out.writeBytes(Json.mapper().writeValueAsBytes(header));
        out.write('\n');
        for (ReleaseMark m : live) {
            out.writeBytes(Json.mapper().writeValueAsBytes(m));
            out.write('\n');
        }
        byte[] bytes = out.toByteArray();
        AtomicFiles.write(file, bytes, false);
        epoch = e;
        this.header = Arrays.copyOf(bytes, indexOf(bytes, 0, (byte) '\n'));
        offset = bytes.length;
        lines = live.size();
    }

    private boolean endsWithNewline(long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }

    /** The epoch in the header of the open file, or null. Headers are short: the first 256 bytes hold one. */
    /**
     * Whether the open file is still the one of the cached {@link #epoch}: its header line is the one the epoch was
     * read from (the common case, compared without parsing), or parses to the same epoch.
     */
    private boolean sameEpoch(FileChannel ch) throws IOException {
        byte[] head = read(ch, 0, Math.min(ch.size(), 256));
        int eol = indexOf(head, 0, (byte) '\n');
        if (eol < 0) {
            return false;
        }
        if (header != null && Arrays.equals(head, 0, eol, header, 0, header.length)) {
            return true;
        }
        return epoch.equals(epochOf(head, eol));
    }

    private static String epochOf(byte[] bytes, int eol) {
        try {
            JsonNode h = Json.mapper().readTree(bytes, 0, eol);
            if (h.path("schemaVersion").asInt(-1) != VERSION) {
                return null;
            }
            return h.path("epoch").asString(null);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static byte[] read(FileChannel ch, long from, long to) throws IOException {
        return AtomicFiles.readAt(ch, from, (int) (to - from));
    }

    private static int indexOf(byte[] bytes, int from, byte b) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void setAside(String problem) throws IOException {
        problems.accept(AtomicFiles.setAside(file, clock.instant(), problem));
    }

    /** For tests: the epoch of the cached file. */
    synchronized String epoch() {
        return epoch;
    }
}
