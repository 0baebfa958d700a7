package dev.coord.engine.mission;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** A mission file's bytes: its UTF-8 byte order mark, and strict decoding that names the line of a bad byte. */
final class MissionBytes {

    static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private MissionBytes() {}

    static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= 3 && Arrays.equals(bytes, 0, 3, BOM, 0, 3);
    }

    static String decode(Path file, byte[] bytes, boolean bom) {
        int start = bom ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = start; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new MissionFormatException(
                    file, line, "the file is not valid UTF-8 (bad byte sequence at byte offset " + offset + ")");
        }
        out.flip();
        return out.toString();
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }
}
