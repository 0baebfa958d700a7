package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.json.Json;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compiled argument check gives the verdict and the message of the SDK's own validator, which it replaced, for
 * every tool and a spread of good and bad arguments.
 */
class ArgumentCheckTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(String tool) {
        return Json.mapper().readValue(Schemas.input(tool), Map.class);
    }

    private static final List<String> TOOLS = List.of(
            "acquire_lock",
            "claim_mission",
            "finish_mission",
            "hook",
            "log_decision",
            "query_decisions",
            "read_messages",
            "register_instance",
            "release_lock",
            "send_message",
            "status");

    private static List<Map<String, Object>> argumentSets() {
        List<Map<String, Object>> sets = new ArrayList<>();
        sets.add(Map.of());
        sets.add(Map.of("paths", List.of("src/A.java")));
        sets.add(Map.of("paths", List.of("a"), "ttl_seconds", 86_401));
        sets.add(Map.of("paths", List.of("a"), "ttl_seconds", -3));
        sets.add(Map.of("paths", List.of("a"), "ttl_seconds", 1e308));
        sets.add(Map.of("paths", "not-a-list"));
        sets.add(Map.of("paths", List.of()));
        sets.add(Map.of("category", "c", "title", "t", "description", "d"));
        sets.add(Map.of("title", "t", "description", "d"));
        sets.add(Map.of("verbose", true));
        sets.add(Map.of("to", "someone", "text", "hello"));
        sets.add(Map.of("event", "PreToolUse", "tool_name", "Edit", "tool_input", Map.of("file_path", "a")));
        sets.add(Map.of("limit", 0));
        sets.add(Map.of("limit", 5, "category", List.of(1, 2)));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("paths", null);
        sets.add(withNull);
        return sets;
    }

    @Test
    void sameVerdictAndMessageAsTheSdkValidatorForEveryTool() {
        var sdk = McpJsonDefaults.getSchemaValidator();
        int refused = 0;
        int accepted = 0;
        for (String tool : TOOLS) {
            Map<String, Object> schema = schema(tool);
            ArgumentCheck check = new ArgumentCheck(schema);
            for (Map<String, Object> args : argumentSets()) {
                var expected = sdk.validate(schema, args);
                String actual = check.check(args);
                String what = tool + " " + args;
                if (expected.valid()) {
                    assertThat(actual).as(what).isNull();
                    accepted++;
                } else if (expected.errorMessage().startsWith("Error parsing")) {
                    assertThat(actual).as(what).startsWith("Error parsing");
                    refused++;
                } else {
                    assertThat(actual).as(what).isEqualTo(expected.errorMessage());
                    refused++;
                }
            }
        }
        assertThat(accepted).as("argument sets accepted").isPositive();
        assertThat(refused).as("argument sets refused").isPositive();
    }

    @Test
    void nullArgumentsAreCheckedAsAnEmptyObject() {
        ArgumentCheck check = new ArgumentCheck(schema("acquire_lock"));
        assertThat(check.check(null)).isEqualTo(check.check(Map.of())).contains("paths");
        assertThat(new ArgumentCheck(schema("status")).check(null)).isNull();
    }
}
