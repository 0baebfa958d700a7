package dev.coord.tools;

import dev.coord.engine.CoordException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed access to a tool call's arguments. The SDK validates them against the input schema first; these checks
 * are the second line, and their messages name the argument and the bad value.
 */
final class Args {
    private final Map<String, Object> raw;

    Args(Map<String, Object> raw) {
        this.raw = raw == null ? Map.of() : raw;
    }

    String string(String name) {
        Object v = raw.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        throw CoordException.invalidArgument(name + " must be a string, got " + describe(v));
    }

    boolean bool(String name) {
        Object v = raw.get(name);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw CoordException.invalidArgument(name + " must be true or false, got " + describe(v));
    }

    Long integer(String name) {
        Object v = raw.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw CoordException.invalidArgument(name + " must be a whole number, got " + describe(v));
    }

    List<String> strings(String name) {
        Object v = raw.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list)) {
            throw CoordException.invalidArgument(name + " must be an array of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw CoordException.invalidArgument(name + " must contain only strings, found " + describe(item));
            }
            out.add(s);
        }
        return out;
    }

    /**
     * A free-text argument the caller may leave out: null when absent or blank, else stripped and at most {@code max}
     * characters.
     */
    static String optionalText(String name, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            throw CoordException.invalidArgument(name + " must be at most " + max + " characters, got " + v.length());
        }
        return v;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        String text = String.valueOf(v);
        if (text.length() > 60) {
            text = text.substring(0, 60) + "...";
        }
        String type = v instanceof Map
                ? "an object"
                : v instanceof List ? "an array" : v.getClass().getSimpleName();
        return type + " (" + text + ")";
    }
}
