package dev.coord.engine.git;

import java.util.Objects;

/**
 * A path changed by two live sessions.
 *
 * @param path repository-relative path
 * @param a one session (instance id), the smaller id
 * @param b the other session
 * @param conflict whether merging the two branches conflicts on this path: true or false when both changes are
 *     committed and git could predict it ({@code git merge-tree}), null (unknown) otherwise
 */
public record Overlap(String path, String a, String b, Boolean conflict) {
    public Overlap {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
    }

    public boolean involves(String instanceId) {
        return a.equals(instanceId) || b.equals(instanceId);
    }

    public String other(String instanceId) {
        return a.equals(instanceId) ? b : a;
    }

    /** {@code true}, {@code false} or {@code unknown}. */
    public String conflictText() {
        return conflict == null ? "unknown" : conflict.toString();
    }
}
