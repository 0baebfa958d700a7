package dev.coord.engine.store.file;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The documents of the file store's messages ({@link MessageFiles}): the read marks, the log's header, a stamp. */
final class MessageDocs {
    private MessageDocs() {}

    /** The content of {@code message-reads.json}. */
    record ReadsDoc(@JsonProperty("schemaVersion") int schemaVersion, Map<String, List<String>> reads) {
        ReadsDoc {
            reads = reads == null ? Map.of() : reads;
        }

        private static final ReadsDoc EMPTY = new ReadsDoc(MessageFiles.VERSION, Map.of());

        /** One object, so that a missing file gives equal {@link Stamp}s (the marks are copied before any change). */
        static ReadsDoc empty() {
            return EMPTY;
        }
    }

    /** The header line of {@code messages.jsonl}. */
    record Header(@JsonProperty("schemaVersion") int schemaVersion, String generation) {}

    /** What {@code MessageBox.stamp()} returns for the file store: the log's header and length read so far; the read marks compared by identity (the parsed document is kept while unchanged). */
    record Stamp(String header, long parsedTo, ReadsDoc reads) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Stamp other
                    && header.equals(other.header)
                    && parsedTo == other.parsedTo
                    && reads == other.reads;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(parsedTo) ^ System.identityHashCode(reads);
        }
    }
}
