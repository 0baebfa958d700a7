package dev.coord.engine.path;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves symbolic links in a path that may not exist yet: the deepest existing ancestor is resolved with
 * {@link Path#toRealPath}, the missing rest is appended. Dangling links are followed by hand, with a hop
 * limit that also ends link loops.
 */
final class RealPaths {

    /** Linux gives up after 40 links (ELOOP); so do we. */
    static final int MAX_LINK_HOPS = 40;

    private RealPaths() {}

    /**
     * @param path an absolute, normalized path
     * @param input the model's text, for error messages
     * @throws CoordException INVALID_PATH on a link loop or an unreadable component
     */
    static Path resolve(Path path, String input) {
        Path current = path;
        for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            Deque<Path> missing = new ArrayDeque<>();
            Path existing = current;
            while (existing.getParent() != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                missing.push(existing.getFileName());
                existing = existing.getParent();
            }
            try {
                return append(existing.toRealPath(), missing);
            } catch (IOException e) {
                if (!Files.isSymbolicLink(existing)) {
                    throw unresolvable(input, existing, e);
                }
                current = append(followOnce(existing, input), missing);
            }
        }
        throw CoordException.invalidPath("The path " + PathInput.describe(input)
                + " goes through a symbolic link loop (more than " + MAX_LINK_HOPS
                + " links); fix or remove the link, or give the real path.");
    }

    /** The target of a link that {@code toRealPath} could not resolve (dangling or looping). */
    private static Path followOnce(Path link, String input) {
        try {
            Path target = Files.readSymbolicLink(link);
            return link.getParent().toRealPath().resolve(target).normalize();
        } catch (IOException e) {
            throw unresolvable(input, link, e);
        }
    }

    private static Path append(Path base, Deque<Path> names) {
        Path result = base;
        for (Path name : names) {
            result = result.resolve(name);
        }
        return result;
    }

    private static CoordException unresolvable(String input, Path where, IOException e) {
        return new CoordException(
                ErrorCode.INVALID_PATH,
                "The path " + PathInput.describe(input) + " cannot be resolved at " + where + " (" + e
                        + "); check permissions and links, or give another path.",
                e);
    }
}
