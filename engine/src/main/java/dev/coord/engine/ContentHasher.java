package dev.coord.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a file's content, to reveal edits made behind a lock. */
public final class ContentHasher {
    /** The hash of a file that does not exist. */
    public static final String ABSENT = "absent";

    private static final int MAX_BUFFER = 64 * 1024;

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
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            // sized to the file (up to 64 KB), allocated only once it is open: most locked files are small or new
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(MAX_BUFFER, Math.max(in.size(), 0) + 1));
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        } catch (NoSuchFileException e) {
            return ABSENT;
        } catch (IOException e) {
            return null;
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
