package dev.coord.engine.store.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The damaged state files set aside in the state directory, and what status says about them. */
final class SetAsideFiles {
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    private SetAsideFiles() {}

    /**
     * One line per file present: the reason this process recorded when it set the file aside, else the file's name.
     */
    static List<String> describe(List<String> problems, List<Path> present) {
        List<String> out = new ArrayList<>();
        List<Path> told = new ArrayList<>();
        for (String message : problems) {
            for (Path p : present) {
                if (message.contains(p.getFileName().toString()) && !told.contains(p)) {
                    out.add(message);
                    told.add(p);
                }
            }
        }
        for (Path p : present) {
            if (!told.contains(p)) {
                out.add(p.getFileName() + " is a damaged state file set aside; look at it, then delete it (or run"
                        + " coord cleanup)");
            }
        }
        return List.copyOf(out);
    }

    /** The set-aside files in {@code dir}, sorted by name. */
    static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + JsonDocFile.SET_ASIDE + "*")) {
            files.forEach(out::add);
        } catch (IOException e) {
            LOG.debug("listing {}: {}", dir, e.toString());
        }
        out.sort(null);
        return out;
    }
}
