package dev.coord.engine.mission;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: write mission files into a temporary folder and load the reference files. */
final class MissionFiles {

    static final String SEED_000 = "seed-000-multi-instance-coordination.md";
    static final String SEED_001 = "seed-001-claim-protocol-report.md";
    static final String FRONT_MATTER_CRLF_BOM = "front-matter-crlf-bom.md";
    static final String TEMPLATE_NO_FINAL_NEWLINE = "template-no-final-newline.md";

    private MissionFiles() {}

    static Path write(Path dir, String name, String text) {
        return write(dir, name, text.getBytes(UTF_8));
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a mission file written with {@link #write}. */
    static MissionDocument read(Path file) {
        try {
            return MissionDocument.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the text into {@code dir/missions/queue/<name>} and reads it back as a mission. */
    static MissionDocument mission(Path dir, String name, String text) {
        return read(write(dir, "missions/queue/" + name, text));
    }

    static byte[] resource(String name) {
        try (InputStream in = MissionFiles.class.getResourceAsStream("/missions/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /missions/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a reference file into {@code dir/missions/queue/} and reads it. */
    static MissionDocument resourceMission(Path dir, String name) {
        return read(write(dir, "missions/queue/" + name, resource(name)));
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
