package dev.coord.engine.mission;

import java.util.Objects;

/**
 * A checkbox item ({@code - [ ] text} or {@code - [x] text}) of a mission's {@code ## Objectives} section.
 *
 * @param text the item's text after the checkbox, markdown kept as written
 * @param done whether the box is ticked ({@code [x]} or {@code [X]})
 * @param line the 1-based line of the file
 */
public record Objective(String text, boolean done, int line) {
    public Objective {
        Objects.requireNonNull(text, "text");
    }
}
