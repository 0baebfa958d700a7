package dev.coord.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRpcLineCheckTest {

    private final JsonRpcLineCheck check = new JsonRpcLineCheck();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":-0,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":0}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"error\":{\"code\":-1,\"message\":\"no\",\"data\":[1]}}",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":5,\"message\":\"x\"},\"result\":null}",
                "  {\"jsonrpc\" : \"2.0\", \"method\" : \"x\"}  ",
                "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"n\":1e400,\"s\":\"\\u00e9\u00e9\"}}",
            })
    void deliversValidMessagesUnchanged(String line) {
        byte[] bytes = bytes(line);

        Verdict verdict = check.check(bytes);

        assertThat(verdict).isInstanceOf(Verdict.Deliver.class);
        byte[] delivered = ((Verdict.Deliver) verdict).sdkLine();
        assertThat(Arrays.copyOf(delivered, delivered.length - 1)).isEqualTo(bytes);
        assertThat(delivered[delivered.length - 1]).isEqualTo((byte) '\n');
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE", "double BOM"})
    void answersLinesTheSdkWouldReadAsTextAndChokeOnWithAParseError(String encoding) {
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        byte[] line = encoding.equals("double BOM")
                ? bytes("\uFEFF\uFEFF" + ping)
                : ping.getBytes(java.nio.charset.Charset.forName(encoding));

        Verdict verdict = check.check(line);

        assertThat(verdict).isInstanceOf(Verdict.Reject.class);
        assertThat(((Verdict.Reject) verdict).code()).isEqualTo(-32700);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t \t", "\r", " \r "})
    void ignoresBlankLines(String line) {
        assertThat(check.check(bytes(line))).isInstanceOf(Verdict.Ignore.class);
    }

    @Test
    void turnsABareCrIntoASpaceBecauseTheSdkWouldSplitThereAndDropsAByteOrderMark() {
        byte[] line = bytes("\uFEFF{\"jsonrpc\":\"2.0\",\r\"method\":\"x\"}");

        Verdict verdict = check.check(line);

        assertThat(verdict).isInstanceOf(Verdict.Deliver.class);
        assertThat(new String(((Verdict.Deliver) verdict).sdkLine(), StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\", \"method\":\"x\"}\n");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "garbage                                  | Parse error: Unrecognized token 'garbage': expected a JSON value at column 1",
                "{\"jsonrpc\":\"2.0\",\"method\":           | Parse error: Unexpected end-of-input",
                "{\"jsonrpc\":\"2.0\",\"method\":\"x\"} {}  | Parse error: unexpected data after the JSON value at column 32",
                "{'a':1}                                  | Parse error: Unexpected character",
                "{\"a\":NaN}                              | Parse error: Non-standard token 'NaN' at column",
            })
    void answersUnparsableLinesWithParseError(String line, String messageStart) {
        assertRejected(line, JsonRpcErrors.PARSE_ERROR, messageStart, "null");
    }

    @Test
    void answersNestingDeeperThanTheLimitWithParseError() {
        assertRejected(
                "[".repeat(10_000) + "]".repeat(10_000),
                JsonRpcErrors.PARSE_ERROR,
                "Parse error: Document nesting depth (501) exceeds the maximum allowed (500)",
                "null");
        String deepParams = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":" + "{\"a\":".repeat(10_000)
                + "1" + "}".repeat(10_001);
        assertRejected(deepParams, JsonRpcErrors.PARSE_ERROR, "Parse error: Document nesting depth", "null");
    }

    @Test
    void answersANumberLongerThanTheLimitWithParseError() {
        assertRejected(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"n\":" + "9".repeat(2000) + "}}",
                JsonRpcErrors.PARSE_ERROR,
                "Parse error: Number value length (2000) exceeds the maximum allowed (1000)",
                "null");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ff", // a byte that never starts a sequence
                "c3", // truncated two-byte sequence at the end of the line
                "c080", // overlong NUL, which Jackson alone would accept
                "eda080", // UTF-16 surrogate
                "f4908080", // above U+10FFFF
            })
    void answersInvalidUtf8WithParseError(String hex) {
        byte[] prefix = bytes("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"s\":\"");
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] suffix = bytes("\"}}");
        byte[] line = new byte[prefix.length + bad.length + suffix.length];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        System.arraycopy(bad, 0, line, prefix.length, bad.length);
        System.arraycopy(suffix, 0, line, prefix.length + bad.length, suffix.length);

        Verdict verdict = check.check(line);

        assertThat(verdict).isInstanceOf(Verdict.Reject.class);
        Verdict.Reject reject = (Verdict.Reject) verdict;
        assertThat(reject.code()).isEqualTo(JsonRpcErrors.PARSE_ERROR);
        assertThat(reject.message()).isEqualTo("Parse error: invalid UTF-8 at byte " + (prefix.length + 1));
        assertThat(reject.id().isNull()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "[]                                                           | batches are not supported | null",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]         | batches are not supported | null",
                "42                                                           | expected a JSON object, got a number | null",
                "\"text\"                                                     | expected a JSON object, got a string | null",
                "null                                                         | expected a JSON object, got null | null",
                "{}                                                           | jsonrpc must be \"2.0\" | null",
                "{\"id\":3,\"method\":\"ping\"}                               | jsonrpc must be \"2.0\" | 3",
                "{\"jsonrpc\":\"1.0\",\"id\":\"a\",\"method\":\"ping\"}       | jsonrpc must be \"2.0\" | \"a\"",
                "{\"jsonrpc\":2.0,\"id\":1.5,\"method\":\"ping\"}             | jsonrpc must be \"2.0\" | 1.5",
                "{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1}}                       | method is missing (or result/error, for a response) | null",
                "{\"jsonrpc\":\"2.0\",\"id\":4}                               | method is missing (or result/error, for a response) | 4",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":7}                  | method must be a string | 4",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"x\",\"result\":1} | a request must not have result or error | 4",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}        | id must be a string or an integer | null",
                "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}         | id must be a string or an integer | 1.5",
                "{\"jsonrpc\":\"2.0\",\"id\":1e400,\"method\":\"ping\"}       | id must be a string or an integer | null",
                "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}        | id must be a string or an integer | null",
                "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"ping\"}         | id must be a string or an integer | null",
                "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775808,\"method\":\"ping\"} | id must be a string or an integer | 9223372036854775808",
                "{\"jsonrpc\":\"2.0\",\"result\":{}}                          | a response needs an id that is a string or an integer | null",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":1,\"message\":\"m\"}} | a response needs an id that is a string or an integer | null",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":null}               | a response must have exactly one of result and error | 5",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":1,\"error\":{\"code\":1,\"message\":\"m\"}} | a response must have exactly one of result and error | 5",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":\"bad\"}             | error must be an object with an integer code and a string message | 5",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":\"x\",\"message\":\"m\"}} | error must be an object with an integer code and a string message | 5",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":2147483648,\"message\":\"m\"}} | error must be an object with an integer code and a string message | 5",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":1}}        | error must be an object with an integer code and a string message | 5",
            })
    void answersNonMessagesWithInvalidRequest(String line, String reason, String echoedId) {
        assertRejected(line, JsonRpcErrors.INVALID_REQUEST, "Invalid Request: " + reason, echoedId);
    }

    @Test
    void lastOfDuplicateKeysWinsAsInTheSdk() {
        assertThat(check.check(bytes("{\"jsonrpc\":\"1.0\",\"jsonrpc\":\"2.0\",\"method\":\"x\"}")))
                .isInstanceOf(Verdict.Deliver.class);
        assertRejected(
                "{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"1.0\",\"method\":\"x\"}",
                JsonRpcErrors.INVALID_REQUEST,
                "Invalid Request: jsonrpc must be",
                "null");
    }

    @Test
    void shortensLongReasons() {
        Verdict verdict = check.check(bytes("x".repeat(5000)));

        assertThat(((Verdict.Reject) verdict).message()).hasSizeLessThan(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":\"status\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":[1]}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"arguments\":{}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":5}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"s\",\"arguments\":\"x\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"s\",\"arguments\":[1]}}",
            })
    void answersAToolCallWithUnusableParamsWithInvalidParams(String line) {
        assertRejected(line, JsonRpcErrors.INVALID_PARAMS, "Invalid params: ", "3");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"s\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"s\",\"arguments\":null}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":7}",
            })
    void deliversToolCallsWithUsableParams(String line) {
        assertThat(check.check(bytes(line))).isInstanceOf(Verdict.Deliver.class);
    }

    private void assertRejected(String line, int code, String messageStart, String echoedId) {
        Verdict verdict = check.check(bytes(line));

        assertThat(verdict).isInstanceOf(Verdict.Reject.class);
        Verdict.Reject reject = (Verdict.Reject) verdict;
        assertThat(reject.code()).isEqualTo(code);
        assertThat(reject.message()).startsWith(messageStart);
        assertThat(reject.id().toString()).isEqualTo(echoedId);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownToolIsAnsweredWithTheValidNames() {
        JsonRpcLineCheck known = new JsonRpcLineCheck();
        known.knownTools(java.util.List.of("status", "acquire_lock"));
        String call = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"%s\"}}";

        Verdict unknown = known.check(bytes(String.format(call, "invalid_tool_name")));

        assertThat(unknown).isInstanceOfSatisfying(Verdict.Reject.class, r -> {
            assertThat(r.code()).isEqualTo(-32602);
            assertThat(r.id().asInt()).isEqualTo(3);
            assertThat(r.message())
                    .isEqualTo("Invalid params: Unknown tool: invalid_tool_name. coord's tools are: acquire_lock,"
                            + " status");
        });
        assertThat(known.check(bytes(String.format(call, "status")))).isInstanceOf(Verdict.Deliver.class);
        // before the names are known, the SDK answers
        assertThat(check.check(bytes(String.format(call, "invalid_tool_name")))).isInstanceOf(Verdict.Deliver.class);
    }
}
