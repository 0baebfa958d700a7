package dev.coord.engine.git;

import dev.coord.engine.json.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;

/**
 * The radar's result shared by the servers of one repository: {@code radar.json} in the state directory, replaced
 * atomically (temp file and rename), so that one server runs git for every worktree and the others read its answer.
 * {@code radar.lock} elects the one that runs: a server that cannot take it at once leaves the work to the holder.
 * Neither file is part of the store's state; losing them costs one more run.
 */
public final class RadarCache {
    public static final String FILE = "radar.json";
    public static final String LOCK = "radar.lock";

    private final Path file;
    private final Path lock;

    public RadarCache(Path stateDir) {
        this.file = stateDir.resolve(FILE);
        this.lock = stateDir.resolve(LOCK);
    }

    /** The cached result, or empty when there is none or it does not parse. */
    public Optional<RadarResult> read() {
        try {
            return Optional.ofNullable(Json.mapper().readValue(Files.readAllBytes(file), RadarResult.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JacksonException | NullPointerException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces the cached result, unless the file already holds a result computed later (a server stopped in the
     * middle of a run, resumed after another one took over, must not put its old answer back).
     */
    public void write(RadarResult result) throws IOException {
        Optional<RadarResult> current = read();
        if (current.isPresent() && current.get().computedAt().isAfter(result.computedAt())) {
            return;
        }
        Path temp = file.resolveSibling(
                "." + FILE + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.write(temp, Json.mapper().writeValueAsBytes(result), StandardOpenOption.CREATE_NEW);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Runs {@code work} if no other process (or thread) is running it now.
     *
     * @return its result, or empty when another one holds the lock
     */
    public Optional<RadarResult> ifNobodyElse(Supplier<RadarResult> work) throws IOException {
        Files.createDirectories(lock.getParent());
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock held;
            try {
                held = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return Optional.empty();
            }
            if (held == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(work.get());
            } finally {
                held.release();
            }
        }
    }
}
