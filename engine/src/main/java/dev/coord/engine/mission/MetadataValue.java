package dev.coord.engine.mission;

import java.util.List;
import java.util.Objects;

/**
 * The value of one {@code key: value} line of a mission's metadata block, as far as the small YAML subset that
 * coord understands goes.
 */
sealed interface MetadataValue
        permits MetadataValue.Empty, MetadataValue.Scalar, MetadataValue.FlowList, MetadataValue.Unsupported {

    /** No value: {@code key:}, {@code key: ~} or {@code key: null}, with or without a comment. */
    record Empty() implements MetadataValue {}

    /** A plain, single-quoted or double-quoted scalar on one line, unquoted and unescaped. */
    record Scalar(String text) implements MetadataValue {
        public Scalar {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A flow list on one line: {@code []} or {@code [a, "b c"]}. */
    record FlowList(List<String> items) implements MetadataValue {
        public FlowList {
            items = List.copyOf(items);
        }
    }

    /**
     * Valid or invalid YAML outside the subset (nested map, block list, multi-line or block string, flow map,
     * anchor, tag, ...). The file keeps it untouched; reading it as one of coord's own fields is an error.
     *
     * @param rawText the value as written, lines joined with {@code \n}
     * @param reason what the construct is, e.g. "a block list ('- item' lines)"
     */
    record Unsupported(String rawText, String reason) implements MetadataValue {
        public Unsupported {
            Objects.requireNonNull(rawText, "rawText");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
