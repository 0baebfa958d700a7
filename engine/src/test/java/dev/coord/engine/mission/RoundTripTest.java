package dev.coord.engine.mission;

import static dev.coord.engine.mission.MissionFiles.bytes;
import static dev.coord.engine.mission.MissionFiles.read;
import static dev.coord.engine.mission.MissionFiles.utf8;
import static dev.coord.engine.mission.MissionFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and writing back without a change gives the same bytes, for every test file and its variants. */
class RoundTripTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path dir;

    static List<String> referenceFiles() throws IOException, URISyntaxException {
        Path folder = Path.of(RoundTripTest.class.getResource("/missions").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".md"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyReferenceFileIsThere() throws Exception {
        assertThat(referenceFiles())
                .contains(
                        MissionFiles.SEED_000,
                        MissionFiles.SEED_001,
                        MissionFiles.FRONT_MATTER_CRLF_BOM,
                        MissionFiles.TEMPLATE_NO_FINAL_NEWLINE);
    }

    @Test
    void referenceFilesAndTheirVariantsComeBackByteForByte() throws Exception {
        for (String name : referenceFiles()) {
            byte[] original = MissionFiles.resource(name);
            String text = utf8(original).replace("\uFEFF", "");
            List<byte[]> variants = new ArrayList<>();
            variants.add(original);
            variants.add(bytes(text.replace("\r\n", "\n").replace("\n", "\r\n")));
            variants.add(bytes(text.replace("\r\n", "\n")));
            variants.add(concat(BOM, bytes(text)));
            variants.add(bytes(text.stripTrailing()));
            variants.add(bytes(text + "\n\n"));
            for (int i = 0; i < variants.size(); i++) {
                byte[] variant = variants.get(i);
                Path file = write(dir, "missions/active/" + i + "-" + name, variant);

                MissionDocument doc = read(file);

                assertThat(doc.toBytes()).as("%s variant %d", name, i).isEqualTo(variant);
                assertThat(MissionDocument.parse(file, doc.toBytes()).toBytes()).isEqualTo(variant);
            }
        }
    }

    @Test
    void oddButValidTextComesBackByteForByte() {
        List<String> texts = List.of(
                "",
                "\n",
                "\r\n",
                "no newline",
                "mixed\r\nline\nendings\r\n",
                "lone\rcarriage return\n",
                "\uFEFFa second byte order mark inside\n",
                "emoji 🚀 and accents é\n",
                "---\n---\n",
                "```yaml\n```");
        for (int i = 0; i < texts.size(); i++) {
            byte[] original = bytes(texts.get(i));
            Path file = write(dir, "odd-" + i + ".md", original);

            assertThat(read(file).toBytes()).as("text %d", i).isEqualTo(original);
        }
    }

    @Test
    void theReturnedBytesAreACopy() {
        Path file = write(dir, "copy.md", "# Copy\n");
        MissionDocument doc = read(file);

        doc.toBytes()[0] = 'X';

        assertThat(doc.toBytes()).isEqualTo(bytes("# Copy\n"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
