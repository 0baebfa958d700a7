package dev.coord.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Claude Code hooks {@code init --hooks} writes into {@code .claude/settings.json}: {@code mcp_tool} hooks that
 * call the session's own coord server (Claude Code 2.1.118 and later), or the legacy command hook that starts a JVM
 * per edit. coord's own entries are recognised (an {@code mcp_tool} hook on server {@code coord}, or a command running
 * {@code hook pre-edit}) and replaced together; every other hook is left as it is.
 */
final class ClaudeHooks {
    /** The first Claude Code version with {@code mcp_tool} hooks. */
    static final int[] MCP_TOOL_SINCE = {2, 1, 118};

    static final String EDIT_MATCHER = "Write|Edit|MultiEdit|NotebookEdit|Bash";
    static final int TIMEOUT_S = 10;
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    private ClaudeHooks() {}

    /** The hook groups per event that coord wants, in the mcp_tool form. */
    static Map<String, List<ObjectNode>> mcpTool() {
        ObjectNode edit = group("Write|Edit|MultiEdit", mcpHook(Map.of("file_path", "${tool_input.file_path}")));
        ObjectNode notebook = group("NotebookEdit", mcpHook(Map.of("file_path", "${tool_input.notebook_path}")));
        Map<String, String> shell = new java.util.LinkedHashMap<>();
        shell.put("command", "${tool_input.command}");
        shell.put("cwd", "${cwd}");
        ObjectNode bash = group("Bash", mcpHook(shell));
        ObjectNode post = group("*", mcpHook(Map.of()));
        ObjectNode prompt = group(null, mcpHook(Map.of()));
        return Map.of(
                "PreToolUse",
                List.of(edit, notebook, bash),
                "PostToolUse",
                List.of(post),
                "UserPromptSubmit",
                List.of(prompt));
    }

    /** The legacy form: one command hook that starts a JVM before every edit. */
    static Map<String, List<ObjectNode>> legacy(String preEditCommand) {
        ObjectNode hook = JsonText.mapper().createObjectNode();
        hook.put("type", "command");
        hook.put("command", preEditCommand);
        hook.put("timeout", TIMEOUT_S);
        return Map.of("PreToolUse", List.of(group(EDIT_MATCHER, hook)));
    }

    private static ObjectNode mcpHook(Map<String, String> extra) {
        ObjectNode hook = JsonText.mapper().createObjectNode();
        hook.put("type", "mcp_tool");
        hook.put("server", "coord");
        hook.put("tool", "hook");
        ObjectNode input = hook.putObject("input");
        input.put("event", "${hook_event_name}");
        input.put("tool_name", "${tool_name}");
        extra.forEach(input::put);
        input.put("session_id", "${session_id}");
        hook.put("timeout", TIMEOUT_S);
        return hook;
    }

    private static ObjectNode group(String matcher, ObjectNode hook) {
        ObjectNode g = JsonText.mapper().createObjectNode();
        if (matcher != null) {
            g.put("matcher", matcher);
        }
        g.putArray("hooks").add(hook);
        return g;
    }

    static boolean isCoords(JsonNode hook) {
        return (hook.path("type").asString("").equals("mcp_tool")
                        && hook.path("server").asString("").equals("coord"))
                || hook.path("command").asString("").contains("hook pre-edit");
    }

    /**
     * Plans the settings file so that it holds exactly the wanted coord hooks.
     *
     * @return what to report; the new text is put in {@code writes} when it changes
     */
    static String plan(
            Path file, Map<String, List<ObjectNode>> wanted, boolean force, Map<Path, String> writes, String form)
            throws IOException, InitCommand.Refused {
        ObjectNode root;
        if (Files.exists(file)) {
            JsonNode parsed = JsonText.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (parsed == null || !parsed.isObject()) {
                throw new InitCommand.Refused(file + " is not a JSON object; fix it, then run init again");
            }
            root = (ObjectNode) parsed;
        } else {
            root = JsonText.mapper().createObjectNode();
        }
        JsonNode hooksNode = root.path("hooks");
        if (hooksNode.isMissingNode()) {
            hooksNode = root.putObject("hooks");
        } else if (!hooksNode.isObject()) {
            throw new InitCommand.Refused(file + ": \"hooks\" must be an object, got " + hooksNode.getNodeType());
        }
        ObjectNode hooks = (ObjectNode) hooksNode;
        boolean hadCoords = false;
        boolean same = true;
        for (String event : List.of("PreToolUse", "PostToolUse", "UserPromptSubmit")) {
            JsonNode groups = hooks.path(event);
            if (!groups.isMissingNode() && !groups.isArray()) {
                throw new InitCommand.Refused(
                        file + ": \"hooks." + event + "\" must be an array, got " + groups.getNodeType());
            }
            List<JsonNode> mine = new ArrayList<>();
            for (JsonNode g : groups.values()) {
                if (g.path("hooks").values().stream().anyMatch(ClaudeHooks::isCoords)) {
                    mine.add(g);
                }
            }
            hadCoords |= !mine.isEmpty();
            same &= mine.equals(new ArrayList<JsonNode>(wanted.getOrDefault(event, List.of())));
        }
        if (same) {
            return ".claude/settings.json: unchanged (coord's " + form + " hooks are installed)";
        }
        if (hadCoords && !force) {
            return ".claude/settings.json: kept coord's existing hooks, which differ from the " + form
                    + " hooks (run init --hooks --force to replace them)";
        }
        for (String event : List.of("PreToolUse", "PostToolUse", "UserPromptSubmit")) {
            ArrayNode kept = JsonText.mapper().createArrayNode();
            for (JsonNode g : hooks.path(event).values()) {
                if (g.path("hooks").values().stream().noneMatch(ClaudeHooks::isCoords)) {
                    kept.add(g);
                }
            }
            wanted.getOrDefault(event, List.of()).forEach(kept::add);
            if (kept.isEmpty()) {
                hooks.remove(event);
            } else {
                hooks.set(event, kept);
            }
        }
        writes.put(file, JsonText.write(root));
        return ".claude/settings.json: " + (hadCoords ? "replaced coord's hooks with the " : "added the ") + form
                + " hooks (COORD_ENFORCE=warn|deny|off, default warn)";
    }

    /**
     * Whether the installed Claude Code has mcp_tool hooks: asks {@code claude --version}. Null when it cannot tell
     * (no {@code claude} on the PATH): then the mcp_tool form is written.
     */
    static Boolean claudeHasMcpToolHooks() {
        try {
            Process p = new ProcessBuilder("claude", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return atLeast(out, MCP_TOOL_SINCE);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Whether the first x.y.z in the text is at least {@code min}; null when there is none. */
    static Boolean atLeast(String versionText, int[] min) {
        Matcher m = VERSION.matcher(versionText);
        if (!m.find()) {
            return null;
        }
        for (int i = 0; i < 3; i++) {
            int v = Integer.parseInt(m.group(i + 1));
            if (v != min[i]) {
                return v > min[i];
            }
        }
        return true;
    }
}
