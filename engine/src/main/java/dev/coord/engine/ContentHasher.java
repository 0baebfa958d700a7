package dev.coord.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a file's content, to reveal edits made behind a lock. */
public final class ContentHasher {
    /** The hash of a file that does not exist. */
    public static final String ABSENT = "absent";

    private ContentHasher() {}

    /** Hex SHA-256 of a regular file, {@link #ABSENT} if there is no file, null for a directory or unreadable file. */
    public static String hash(Path file) {
        // a directory, or a link to one (following the link also answers for a directory that is no link)
        if (Files.isDirectory(file)) {
            return null;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            // allocated only once the file is open: most locked paths do not exist yet (a new file)
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (NoSuchFileException e) {
            return ABSENT;
        } catch (IOException e) {
            return null;
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
