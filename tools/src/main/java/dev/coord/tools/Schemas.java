package dev.coord.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the tool schemas of {@code schemas/tools/}, packaged on the class path: one source of truth. */
public final class Schemas {
    private Schemas() {}

    public static String input(String tool) {
        return load("schemas/tools/" + tool + ".input.json");
    }

    public static String output(String tool) {
        return load("schemas/tools/" + tool + ".output.json");
    }

    static String load(String resource) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource, e);
        }
    }
}
