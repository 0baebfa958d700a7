package dev.coord.engine.mission;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One {@code .md} file of a missions folder: parsed, or with the reason it cannot be.
 *
 * @param folder the folder it is in
 * @param file its path
 * @param doc the parsed file, or null when it is malformed
 * @param problem what is wrong with it (with the line when the format is at fault), or null
 */
public record MissionEntry(MissionFolder folder, Path file, MissionDocument doc, String problem) {
    public MissionEntry {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(file, "file");
        if ((doc == null) == (problem == null)) {
            throw new IllegalArgumentException("an entry has either a document or a problem");
        }
    }

    /** The mission id: {@code mission_id}, else (also for a malformed file) the file name without {@code .md}. */
    public String id() {
        return doc != null ? doc.missionId() : MissionFormat.missionIdFromFileName(file);
    }

    public String fileName() {
        return file.getFileName().toString();
    }

    public boolean valid() {
        return doc != null;
    }

    MissionEntry withProblem(String why) {
        return new MissionEntry(folder, file, null, why);
    }
}
