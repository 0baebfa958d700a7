package dev.coord.engine.store.file;

import dev.coord.engine.io.AtomicFiles;
import dev.coord.engine.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectWriter;

/**
 * One JSON state document, replaced atomically on every write and re-parsed only when another process replaced it.
 * A document that does not parse, or has a schema version this code does not know, is set aside as
 * {@code <name>.corrupt-<time>} and replaced by an empty one; nothing else is lost.
 */
final class JsonDocFile<T> {

    /** What a set-aside file's name holds after the document's name: {@code locks.json.corrupt-<time>}. */
    static final String SET_ASIDE = ".corrupt-";

    /** The documents are written indented, for people reading them; the writer is made once. */
    private static final ObjectWriter PRETTY = Json.mapper().writerWithDefaultPrettyPrinter();

    private final Path file;
    private final Class<T> type;
    private final Function<T, Integer> version;
    private final int knownVersion;
    private final Supplier<T> empty;
    private final Clock clock;
    private final Consumer<String> problems;

    private byte[] cachedBytes;
    private T cached;
    private Supplier<T> afterDamage;

    JsonDocFile(
            Path file,
            Class<T> type,
            Function<T, Integer> version,
            int knownVersion,
            Supplier<T> empty,
            Clock clock,
            Consumer<String> problems) {
        this.file = file;
        this.type = type;
        this.version = version;
        this.knownVersion = knownVersion;
        this.empty = empty;
        this.clock = clock;
        this.problems = problems;
    }

    Path path() {
        return file;
    }

    /** What a read returns after setting a damaged file aside (by default an empty document), e.g. a rebuild. */
    synchronized JsonDocFile<T> afterDamage(Supplier<T> rebuild) {
        this.afterDamage = rebuild;
        return this;
    }

    /**
     * Reads the document. With {@code repair}, a bad file is set aside (only do that while holding the mutex);
     * without, a bad file reads as empty and is left for the next writer to set aside.
     */
    synchronized T read(boolean repair) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            cachedBytes = null;
            cached = null;
            return empty.get();
        }
        // Compare bytes, not file attributes: inode numbers are reused and mtimes are coarse.
        if (cached != null && Arrays.equals(bytes, cachedBytes)) {
            return cached;
        }
        String problem = null;
        T doc = null;
        try {
            doc = Json.mapper().readValue(bytes, type);
            if (doc == null) {
                problem = "empty document";
            } else if (version.apply(doc) != knownVersion) {
                problem = "unknown schemaVersion " + version.apply(doc) + " (this coord knows " + knownVersion + ")";
            }
        } catch (JacksonException e) {
            problem = "not valid JSON for this document: " + e.getOriginalMessage();
        }
        if (problem == null) {
            cachedBytes = bytes;
            cached = doc;
            return doc;
        }
        if (repair) {
            setAside(problem);
            if (afterDamage != null) {
                return afterDamage.get();
            }
        }
        return empty.get();
    }

    private void setAside(String problem) throws IOException {
        String message = AtomicFiles.setAside(file, clock.instant(), problem);
        problems.accept(
                afterDamage == null
                        ? message
                        : message.replace(" and started afresh", " and rebuilt from the audit log"));
        cachedBytes = null;
        cached = null;
    }

    synchronized void write(T doc, boolean durable) throws IOException {
        byte[] bytes = PRETTY.writeValueAsBytes(doc);
        AtomicFiles.write(file, bytes, durable);
        cachedBytes = bytes;
        cached = doc;
    }
}
