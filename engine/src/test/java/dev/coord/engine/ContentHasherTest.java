package dev.coord.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the content hash of a locked path is, for every kind of path the lock tools meet. */
class ContentHasherTest {
    @TempDir
    Path dir;

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void filesHashTheirBytesThroughLinksAndMissingFilesAreAbsent() throws Exception {
        byte[] big = new byte[200_000]; // more than one read buffer
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Path file = Files.write(dir.resolve("a.bin"), big);
        assertThat(ContentHasher.hash(file)).isEqualTo(sha256(big));
        assertThat(ContentHasher.hash(Files.write(dir.resolve("empty"), new byte[0])))
                .isEqualTo(sha256(new byte[0]));
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        assertThat(ContentHasher.hash(link)).isEqualTo(sha256(big));

        assertThat(ContentHasher.hash(dir.resolve("missing.txt"))).isEqualTo(ContentHasher.ABSENT);
        assertThat(ContentHasher.hash(dir.resolve("no/such/dir/f"))).isEqualTo(ContentHasher.ABSENT);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("gone"));
        assertThat(ContentHasher.hash(dangling)).isEqualTo(ContentHasher.ABSENT);
        Files.writeString(dir.resolve("gone"), "now here", StandardCharsets.UTF_8);
        assertThat(ContentHasher.hash(dangling)).isEqualTo(sha256("now here".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void directoriesAndLinksToThemHaveNoHash() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        assertThat(ContentHasher.hash(sub)).isNull();
        assertThat(ContentHasher.hash(Files.createSymbolicLink(dir.resolve("to-sub"), sub)))
                .isNull();
    }
}
