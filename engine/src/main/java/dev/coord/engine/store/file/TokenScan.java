package dev.coord.engine.store.file;

import dev.coord.engine.io.AtomicFiles;
import dev.coord.engine.json.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The token counter a missing {@code locks.json} starts from: one past the highest fencing token in the audit log
 * ({@code audit.jsonl.1}, then {@code audit.jsonl}), so that tokens keep growing across the loss of the table. It is
 * asked on every read of the state while {@code locks.json} does not exist (a repository where no lock was taken
 * yet), so each file is read from where the previous call stopped, and from its start again when it was replaced
 * (rotated), shrank, or no longer ends its read part with the same bytes (a file recreated under a reused inode): a
 * call costs what was appended since, not the whole log.
 */
final class TokenScan {
    private static final Logger LOG = LoggerFactory.getLogger(TokenScan.class);
    private static final byte[] TOKEN = "\"token\"".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 1 << 20;
    private static final int MAX_LINE = 64 << 20;

    /** How far a file was read, the highest token so far, and the bytes just before {@code scannedTo}. */
    private record Progress(Object fileKey, long scannedTo, long max, byte[] last) {}

    private static final int LAST = 64;

    private final List<Path> files;
    private final Map<Path, Progress> progress = new HashMap<>();

    TokenScan(Path dir) {
        this.files = List.of(dir.resolve("audit.jsonl.1"), dir.resolve("audit.jsonl"));
    }

    synchronized long nextToken() {
        long max = 0;
        for (Path p : files) {
            max = Math.max(max, highest(p));
        }
        return max + 1;
    }

    private long highest(Path p) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            progress.remove(p);
            return 0;
        } catch (IOException e) {
            LOG.warn("cannot read {} to recover the token counter: {}", p, e.toString());
            return 0;
        }
        Progress was = progress.get(p);
        long pos = 0;
        long max = 0;
        long unfinished = 0;
        byte[] last = new byte[0];
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (was != null
                    && Objects.equals(was.fileKey(), attrs.fileKey())
                    && size >= was.scannedTo()
                    && Arrays.equals(
                            was.last(),
                            AtomicFiles.readAt(ch, was.scannedTo() - was.last().length, was.last().length))) {
                pos = was.scannedTo();
                max = was.max();
                last = was.last();
            }
            int len = CHUNK;
            while (pos < size) {
                int want = (int) Math.min(len, size - pos);
                byte[] chunk = AtomicFiles.readAt(ch, pos, want);
                int end = completeLines(chunk);
                if (end == 0 && pos + chunk.length < size) {
                    if (len < MAX_LINE) {
                        len *= 2; // a line longer than the chunk
                        continue;
                    }
                    pos += chunk.length; // no audit line is this long: skip it, its rest parses as no token
                    continue;
                }
                max = Math.max(max, highestIn(chunk, 0, end));
                if (end < chunk.length && pos + chunk.length >= size) {
                    // the last line has no newline yet: counted now, read again once it is complete
                    unfinished = highestIn(chunk, end, chunk.length);
                }
                if (end == 0) {
                    break;
                }
                pos += end;
                last = Arrays.copyOfRange(chunk, Math.max(0, end - LAST), end);
            }
        } catch (IOException e) {
            LOG.warn("cannot read {} to recover the token counter: {}", p, e.toString());
        }
        progress.put(p, new Progress(attrs.fileKey(), pos, max, last));
        return Math.max(max, unfinished);
    }

    private static int completeLines(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    /** The highest {@code token} of the lines in {@code b[from, to)}; only lines that name a token are parsed. */
    private static long highestIn(byte[] b, int from, int to) {
        long max = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || b[i] == '\n') {
                if (i > start && contains(b, start, i, TOKEN)) {
                    max = Math.max(max, tokenOf(new String(b, start, i - start, StandardCharsets.UTF_8)));
                }
                start = i + 1;
            }
        }
        return max;
    }

    private static long tokenOf(String line) {
        try {
            JsonNode token = Json.mapper().readTree(line).get("token");
            return token != null && token.canConvertToLong() ? token.asLong() : 0;
        } catch (RuntimeException e) {
            return 0; // a torn audit line carries no usable token
        }
    }

    private static boolean contains(byte[] b, int from, int to, byte[] what) {
        outer:
        for (int i = from; i <= to - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
