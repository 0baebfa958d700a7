package dev.coord.engine.path;

/** Rules on normalized lock keys: repository-relative, {@code /}-separated, directories end with {@code /}. */
public final class LockKeys {
    /** The key of the whole repository. */
    public static final String ROOT = "./";

    private LockKeys() {}

    public static boolean isDirectory(String key) {
        return key.endsWith("/");
    }

    /** True if the two keys cover a common file: equal, or one is a directory containing the other. */
    public static boolean overlaps(String a, String b) {
        if (a.equals(b) || a.equals(ROOT) || b.equals(ROOT)) {
            return true;
        }
        return (isDirectory(a) && b.startsWith(a)) || (isDirectory(b) && a.startsWith(b));
    }
}
