package dev.coord.engine.mission;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the missions folders hold at one moment: every {@code .md} file of {@code queue/}, {@code active/} and
 * {@code done/}, parsed. A malformed file is kept with its problem and never hides the others.
 *
 * <p>Skipped: hidden files (temp files of coord's own writes start with {@code .}), {@code README.md}, and anything
 * that is not a regular {@code .md} file. A mission id used by two files of {@code queue/} and {@code active/} is a
 * problem of the later file (active before queue, then by file name): the first one is the mission. {@code done/}
 * is history: its files only count, and their ids satisfy {@code depends_on}.
 */
public final class MissionBoard {
    /** Files larger than this are reported instead of parsed. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    private final Path root;
    private final boolean exists;
    private final Map<MissionFolder, List<MissionEntry>> entries = new EnumMap<>(MissionFolder.class);
    private final Map<String, MissionEntry> byId = new HashMap<>();
    private final Set<String> doneIds = new HashSet<>();

    private MissionBoard(Path root, boolean exists) {
        this.root = root;
        this.exists = exists;
    }

    /** Reads the three folders of {@code root}; a missing folder is empty. */
    public static MissionBoard scan(Path root) throws IOException {
        MissionBoard board = new MissionBoard(root, Files.isDirectory(root));
        for (MissionFolder folder : MissionFolder.values()) {
            board.entries.put(folder, board.exists ? read(root.resolve(folder.dirName()), folder) : List.of());
        }
        board.index();
        return board;
    }

    private static List<MissionEntry> read(Path dir, MissionFolder folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")
                        || !name.toLowerCase(Locale.ROOT).endsWith(".md")
                        || name.equalsIgnoreCase("README.md")
                        || !Files.isRegularFile(p)) {
                    continue;
                }
                files.add(p);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<MissionEntry> out = new ArrayList<>();
        for (Path p : files) {
            out.add(parse(p, folder));
        }
        return out;
    }

    /** Reads and parses one file as an entry of {@code folder}. */
    public static MissionEntry parse(Path file, MissionFolder folder) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                return new MissionEntry(
                        folder, file, null, "the file is " + size + " bytes; mission files must be under 1 MiB");
            }
            return new MissionEntry(folder, file, MissionDocument.read(file), null);
        } catch (MissionFormatException e) {
            return new MissionEntry(folder, file, null, "line " + e.line() + ": " + e.problem());
        } catch (NoSuchFileException e) {
            return new MissionEntry(folder, file, null, "the file disappeared while it was read");
        } catch (IOException e) {
            return new MissionEntry(folder, file, null, "cannot read the file: " + e.getMessage());
        }
    }

    private void index() {
        for (MissionFolder folder : List.of(MissionFolder.ACTIVE, MissionFolder.QUEUE)) {
            List<MissionEntry> list = entries.get(folder);
            for (int i = 0; i < list.size(); i++) {
                MissionEntry e = list.get(i);
                if (!e.valid()) {
                    continue;
                }
                MissionEntry first = byId.get(e.id());
                if (first != null) {
                    list.set(
                            i,
                            e.withProblem("mission_id " + e.id() + " is also used by "
                                    + first.folder().dirName() + "/" + first.fileName()
                                    + "; give each mission its own id"));
                } else {
                    byId.put(e.id(), e);
                }
            }
        }
        for (MissionEntry e : entries.get(MissionFolder.DONE)) {
            doneIds.add(e.id());
            if (e.valid()) {
                byId.putIfAbsent(e.id(), e);
            }
        }
    }

    public Path root() {
        return root;
    }

    /** Whether the missions root exists. */
    public boolean exists() {
        return exists;
    }

    /** The files of one folder, by file name, malformed ones included. */
    public List<MissionEntry> entries(MissionFolder folder) {
        return List.copyOf(entries.get(folder));
    }

    /** The file of a mission: a valid one in {@code active/}, else {@code queue/}, else {@code done/}. */
    public Optional<MissionEntry> find(String missionId) {
        return Optional.ofNullable(byId.get(missionId));
    }

    /** A malformed file whose name (without {@code .md}) is this id, to explain why the id is not found. */
    public Optional<MissionEntry> malformed(String missionId) {
        for (MissionFolder folder : MissionFolder.values()) {
            for (MissionEntry e : entries.get(folder)) {
                if (!e.valid() && e.id().equals(missionId)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /** Every malformed file (duplicates included), active first, then queue, then done. */
    public List<MissionEntry> problems() {
        List<MissionEntry> out = new ArrayList<>();
        for (MissionFolder folder : List.of(MissionFolder.ACTIVE, MissionFolder.QUEUE, MissionFolder.DONE)) {
            for (MissionEntry e : entries.get(folder)) {
                if (!e.valid()) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** The ids of the missions in {@code done/} (malformed files count by their file name). */
    public boolean isDone(String missionId) {
        return doneIds.contains(missionId);
    }

    /** The path a file of this name has in a folder. */
    public Path path(MissionFolder folder, String fileName) {
        return root.resolve(folder.dirName()).resolve(fileName);
    }

    /** Whether anything (a file, a directory, a dangling link) has this name in the folder. */
    public boolean occupied(MissionFolder folder, String fileName) {
        return Files.exists(path(folder, fileName), LinkOption.NOFOLLOW_LINKS);
    }
}
