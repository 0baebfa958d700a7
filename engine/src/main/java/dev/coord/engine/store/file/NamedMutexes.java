package dev.coord.engine.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mutexes of {@link FileStore#exclusively}: one lock file {@code <name>.lock} per name in the state directory,
 * opened once per store and closed with it.
 */
final class NamedMutexes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NamedMutexes.class);

    private final Path dir;
    private final Map<String, FileMutex> named = new ConcurrentHashMap<>();

    NamedMutexes(Path dir) {
        this.dir = dir;
    }

    /** The mutex of that name, opening its lock file on first use. */
    FileMutex get(String name) throws IOException {
        try {
            return named.computeIfAbsent(name, n -> {
                try {
                    return new FileMutex(dir, n + ".lock");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        for (FileMutex m : named.values()) {
            try {
                m.close();
            } catch (IOException e) {
                LOG.debug("closing a mutex of {}: {}", dir, e.toString());
            }
        }
    }
}
