package dev.coord.engine.mission;

import java.util.Objects;

/**
 * Where a mission file keeps its metadata.
 *
 * @param form front matter or fenced YAML block
 * @param openingLine 1-based line of the opening {@code ---} or {@code ```yaml}
 * @param closingLine 1-based line of the closing {@code ---} or {@code ```}
 */
record MetadataBlock(Form form, int openingLine, int closingLine) {

    public enum Form {
        /** {@code ---} on the very first line, closed by the next {@code ---} line. */
        FRONT_MATTER,
        /** The first {@code ```yaml} or {@code ```yml} fenced block before any {@code ## } heading. */
        FENCED_YAML
    }

    public MetadataBlock {
        Objects.requireNonNull(form, "form");
        if (openingLine < 1 || closingLine <= openingLine) {
            throw new IllegalArgumentException("bad metadata block lines " + openingLine + ".." + closingLine);
        }
    }
}
