package dev.coord.engine.mission;

import dev.coord.engine.CoordException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Where the missions of one repository are and how their places and times are written: paths relative to the
 * repository root (with {@code /}), times ISO-8601 with the offset of the configured zone. The engine's messages and
 * the tools' views write them the same way.
 *
 * @param repoRoot paths shown are relative to it
 * @param root the missions folder (holding {@code queue/}, {@code active/}, {@code done/})
 * @param zone the zone of the times written into mission files and shown
 */
public record MissionPaths(Path repoRoot, Path root, ZoneId zone) {
    public MissionPaths {
        Objects.requireNonNull(repoRoot, "repoRoot");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(zone, "zone");
    }

    /** Whether the missions folder exists (else missions are off: status leaves them out). */
    public boolean available() {
        return Files.isDirectory(root);
    }

    /** The file of that name in that folder. */
    public Path file(MissionFolder folder, String fileName) {
        return root.resolve(folder.dirName()).resolve(fileName);
    }

    /** A path for a model: relative to the repository root when inside it, with {@code /}. */
    public String rel(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path base = repoRoot.toAbsolutePath().normalize();
        Path shown = abs.startsWith(base) ? base.relativize(abs) : abs;
        String text = shown.toString().replace('\\', '/');
        return text.isEmpty() ? "." : text;
    }

    /** A time as mission files carry it: ISO-8601 with the offset of {@link #zone}. */
    public String timestamp(Instant at) {
        return MissionFormat.timestamp(OffsetDateTime.ofInstant(at, zone));
    }

    /** Fails with NOT_FOUND, saying how to turn missions on, when the missions folder does not exist. */
    public void requireRoot() {
        if (!available()) {
            throw CoordException.notFound("there is no missions folder at " + rel(root) + " (with queue/, active/,"
                    + " done/). Missions are off in this repository; the user can create it or set"
                    + " COORD_MISSIONS_DIR.");
        }
    }
}
