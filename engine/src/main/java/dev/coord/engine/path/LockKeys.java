package dev.coord.engine.path;

import java.util.Objects;

/**
 * Lock keys as made by {@link PathPolicy#toKey}: repository-relative, {@code /}-separated; directory keys end
 * with {@code /}; {@code ./} is the whole repository.
 */
public final class LockKeys {

    /** The key of the whole repository. */
    public static final String WHOLE_REPOSITORY = "./";

    private LockKeys() {}

    /** Whether the key names a directory (and so everything below it). */
    public static boolean isDirectory(String key) {
        return key.endsWith("/");
    }

    /**
     * Whether two keys cover a common file: they are equal, one is {@code ./}, or one is a directory key that
     * is a prefix of the other. A directory key also overlaps the same path written as a file key
     * ({@code src/} and {@code src}), which name the same place.
     */
    public static boolean overlaps(String keyA, String keyB) {
        Objects.requireNonNull(keyA, "keyA");
        Objects.requireNonNull(keyB, "keyB");
        if (keyA.equals(keyB) || keyA.equals(WHOLE_REPOSITORY) || keyB.equals(WHOLE_REPOSITORY)) {
            return true;
        }
        return covers(keyA, keyB) || covers(keyB, keyA);
    }

    /** Whether {@code outer} covers every file {@code inner} names: equal keys, {@code ./}, or a directory above. */
    public static boolean contains(String outer, String inner) {
        return outer.equals(inner) || outer.equals(WHOLE_REPOSITORY) || covers(outer, inner);
    }

    private static boolean covers(String directory, String other) {
        return isDirectory(directory) && (other + "/").startsWith(directory);
    }
}
