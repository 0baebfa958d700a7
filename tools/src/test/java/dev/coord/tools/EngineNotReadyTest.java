package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The tools are listed before the engine is open: building them, their specifications and the prompts asks the
 * engine for nothing, and a call whose engine cannot be had answers with the engine's error (the hook lets the edit
 * through).
 */
class EngineNotReadyTest {
    private final AtomicInteger asked = new AtomicInteger();
    private final Supplier<Coordinator> unavailable = () -> {
        asked.incrementAndGet();
        throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "coord could not open its state: disk on fire");
    };

    private static CallToolResult call(CoordTool tool, Map<String, Object> args) {
        return ((AbstractTool) tool)
                .handle(
                        null,
                        McpSchema.CallToolRequest.builder(tool.name())
                                .arguments(args)
                                .build());
    }

    private static String text(CallToolResult r) {
        return ((TextContent) r.content().get(0)).text();
    }

    @Test
    void listingTheToolsAndPromptsNeedsNoEngine() {
        List<CoordTool> tools = CoordTools.all(unavailable);
        assertThat(tools.stream().map(t -> t.specification().tool().name())).contains("status", "acquire_lock", "hook");
        assertThat(SessionPrompts.all(unavailable)).hasSize(2);
        assertThat(asked).hasValue(0);
    }

    @Test
    void aCallWithoutAnEngineAnswersTheEnginesError() {
        CoordTool status = CoordTools.all(unavailable).stream()
                .filter(t -> t.name().equals("status"))
                .findFirst()
                .orElseThrow();
        CallToolResult r = call(status, Map.of());
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).isEqualTo("STORE_UNAVAILABLE: coord could not open its state: disk on fire");
        assertThat(asked.get()).isPositive();
    }

    @Test
    void badArgumentsAreRefusedWithoutWaitingForTheEngine() {
        CoordTool acquire = CoordTools.all(unavailable).stream()
                .filter(t -> t.name().equals("acquire_lock"))
                .findFirst()
                .orElseThrow();
        CallToolResult r = call(acquire, Map.of("paths", "not a list"));
        assertThat(text(r)).startsWith("INVALID_ARGUMENT: ");
        assertThat(asked).hasValue(0);
    }

    @Test
    void aHookCallWithoutAnEngineLetsTheEditThrough() {
        CoordTool hook = CoordTools.all(unavailable).stream()
                .filter(t -> t.name().equals("hook"))
                .findFirst()
                .orElseThrow();
        CallToolResult r = call(hook, Map.of("event", "PreToolUse", "tool_name", "Write", "file_path", "a.txt"));
        assertThat(r.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(text(r)).isEmpty();
    }

    @Test
    void aPromptWithoutAnEngineSaysSo() {
        SyncPromptSpecification start = SessionPrompts.all(unavailable).get(0);
        McpSchema.GetPromptResult r = start.promptHandler()
                .apply(
                        null,
                        McpSchema.GetPromptRequest.builder(SessionPrompts.START).build());
        String body = ((TextContent) r.messages().get(0).content()).text();
        assertThat(body).contains("disk on fire").contains("call status");
    }
}
