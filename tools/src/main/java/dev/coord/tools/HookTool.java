package dev.coord.tools;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.Conflict;
import dev.coord.engine.model.EditClaimOutcome;
import dev.coord.engine.service.HookSettings.Enforce;
import dev.coord.engine.service.NewsItem;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * {@code hook}: what Claude Code's {@code mcp_tool} hooks call on the session's own server. Its text is Claude Code's
 * hook output JSON, or empty when there is nothing to say (Claude Code ignores {@code structuredContent} for hooks).
 *
 * <ul>
 *   <li>{@code PreToolUse} of an edit tool: the edit guard ({@code COORD_ENFORCE}) and the session's edit claim;
 *       on the first claim of a file, a warning when another session already changed it (the git radar).
 *   <li>{@code PreToolUse} of {@code Bash}: the guard for worktrees shared with other live sessions (git commands
 *       that act on the whole tree), warn or deny as {@code COORD_ENFORCE} says.
 *   <li>{@code PostToolUse} of any tool: lease renewal, coalesced, and news as {@code additionalContext}.
 *   <li>{@code UserPromptSubmit}: the same, always reaching the store; the first one tells who else works here.
 *   <li>{@code Stop}: nothing (accepted so that a hook configured for it does no harm).
 * </ul>
 *
 * It must never block work by failing: an unexpected error lets the edit go ahead and is logged on stderr and in the
 * audit log. Malformed arguments get {@code INVALID_ARGUMENT} (Claude Code then goes ahead too: it fails open).
 */
public final class HookTool extends AbstractTool {
    public static final String NAME = "hook";
    private static final Logger LOG = LoggerFactory.getLogger(HookTool.class);
    static final Set<String> EDIT_TOOLS = Set.of("Write", "Edit", "MultiEdit", "NotebookEdit");
    static final int MAX_TOOL_INPUT = 1 << 20;
    static final int MAX_LISTED = 3;

    public HookTool(Supplier<Coordinator> coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Claude Code hooks";
    }

    @Override
    String description() {
        return "For Claude Code's hooks (edit guard, leases, news); do not call it.";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(false, false, false);
    }

    @Override
    boolean structured() {
        return false;
    }

    @Override
    CallToolResult result(Object value) {
        return CallToolResult.builder().addTextContent((String) value).build();
    }

    @Override
    Object call(Args args) {
        String event = args.string("event");
        String toolName = args.string("tool_name");
        try {
            return switch (event) {
                case "PreToolUse" -> preToolUse(toolName, args);
                case "PostToolUse" -> news("PostToolUse", coord().activity().onActivity(false));
                case "UserPromptSubmit" ->
                    news("UserPromptSubmit", coord().activity().onActivity(true));
                case "Stop" -> "";
                default ->
                    throw CoordException.invalidArgument("event must be PreToolUse, PostToolUse,"
                            + " UserPromptSubmit or Stop, got \"" + event + "\"");
            };
        } catch (CoordException e) {
            if (e.code() == ErrorCode.INVALID_ARGUMENT) {
                throw e;
            }
            return failedOpen(event, toolName, e);
        } catch (RuntimeException e) {
            return failedOpen(event, toolName, e);
        }
    }

    /** The edit goes ahead: said on stderr and in the audit log. */
    private String failedOpen(String event, String toolName, RuntimeException e) {
        LOG.warn(
                "hook {} {} failed, the tool use goes ahead: {}",
                event,
                toolName == null ? "" : toolName,
                e.toString());
        try {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("hook_event", event);
            if (toolName != null && !toolName.isEmpty()) {
                details.put("tool", clip(toolName));
            }
            details.put("error", clip(e.toString()));
            details.put("outcome", "allowed");
            coord().guard().recordFailure(coord().session().id(), details);
        } catch (RuntimeException again) {
            LOG.warn("could not write the hook failure to the audit log: {}", again.toString());
        }
        return "";
    }

    private String preToolUse(String toolName, Args args) {
        Enforce enforce = coord().guard().settings().enforce();
        if (enforce == Enforce.OFF || toolName == null) {
            return "";
        }
        if (toolName.equals("Bash")) {
            return bash(enforce, args);
        }
        if (!EDIT_TOOLS.contains(toolName)) {
            return ""; // other tools need nothing before they run
        }
        // init's hooks send only the path (${tool_input.file_path}); the whole ${tool_input} works too
        Object file = args.string("file_path");
        if (file == null || "".equals(file)) {
            Map<String, Object> input = toolInput(args);
            file = input.get("file_path");
            if (file == null || "".equals(file)) {
                file = input.get("notebook_path");
            }
        }
        if (!(file instanceof String path) || path.isBlank()) {
            throw CoordException.invalidArgument("give file_path, or tool_input carrying file_path (notebook_path for"
                    + " NotebookEdit), for " + toolName);
        }
        String key;
        try {
            key = coord().guard().key(path);
        } catch (CoordException e) {
            if (e.code() == ErrorCode.INVALID_PATH) {
                return ""; // outside the repository or a path coord does not lock: not coord's business
            }
            throw e;
        }
        EditClaimOutcome out = coord().guard().claim(key);
        return switch (out.status()) {
            case HELD -> heldAnswer(enforce, key, out.conflicts());
            case CLAIMED -> claimed(key, out);
            case RENEWED, COVERED -> "";
        };
    }

    /** A first claim: said when the file changed since its last release, or another session changed it too. */
    private String claimed(String key, EditClaimOutcome out) {
        List<String> notes = new java.util.ArrayList<>();
        if (out.claim().changedSinceRelease()) {
            notes.add(key + " changed on disk since " + out.claim().lastReleasedBy()
                    + " released it: re-read it before editing.");
        }
        List<String> elsewhere = coord().git().changedElsewhere(key);
        if (!elsewhere.isEmpty()) {
            notes.add(String.join("; ", elsewhere) + ". Editing it too makes a merge conflict likely: agree with that"
                    + " session on who changes what.");
        }
        return notes.isEmpty() ? "" : context("PreToolUse", "coord: " + String.join(" ", notes));
    }

    /** The Bash guard: whole-tree git commands in a worktree other live sessions share. */
    private String bash(Enforce enforce, Args args) {
        Object command = args.string("command");
        if (command == null || "".equals(command)) {
            command = args.raw("tool_input") == null ? null : toolInput(args).get("command");
        }
        if (!(command instanceof String line) || line.isBlank()) {
            return "";
        }
        return coord().git()
                .bash(line, args.string("cwd"))
                .map(why -> answer(enforce, "coord: " + why))
                .orElse("");
    }

    private Map<String, Object> toolInput(Args args) {
        Object raw = args.raw("tool_input");
        if (raw instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return map;
        }
        if (!(raw instanceof String text) || text.isBlank()) {
            throw CoordException.invalidArgument("tool_input must be the tool's input: a JSON object, or its JSON text"
                    + " (${tool_input} in the hook's input)");
        }
        if (text.length() > MAX_TOOL_INPUT) {
            throw CoordException.invalidArgument(
                    "tool_input must be at most " + MAX_TOOL_INPUT + " characters, got " + text.length());
        }
        try {
            Object parsed = Json.mapper().readValue(text, Object.class);
            if (parsed instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) m;
                return map;
            }
        } catch (JacksonException e) {
            // reported below
        }
        throw CoordException.invalidArgument(
                "tool_input must be a JSON object or its JSON text, got \"" + clip(text) + "\"");
    }

    /** The answer when another session holds the file: warn (default) or deny. */
    static String heldAnswer(Enforce enforce, String key, List<Conflict> conflicts) {
        StringBuilder why = new StringBuilder("coord: ").append(key).append(" is held by ");
        for (int i = 0; i < Math.min(MAX_LISTED, conflicts.size()); i++) {
            Conflict c = conflicts.get(i);
            if (i > 0) {
                why.append("; and by ");
            }
            why.append(c.heldBy().instanceId());
            if (c.heldBy().task() != null) {
                why.append(" (task: ").append(clip(c.heldBy().task())).append(')');
            }
            why.append(", ")
                    .append(c.mode().wireName())
                    .append(c.heldPath().equals(key) ? "" : " on " + c.heldPath())
                    .append(" since ")
                    .append(c.since().truncatedTo(ChronoUnit.SECONDS));
        }
        if (conflicts.size() > MAX_LISTED) {
            why.append("; and ").append(conflicts.size() - MAX_LISTED).append(" more");
        }
        why.append(". Do not edit it now: work on something else (you will be told when it is free), or"
                + " acquire_lock it with wait_seconds; ask the user if it is urgent.");
        return answer(enforce, why.toString());
    }

    /** A PreToolUse answer: deny with the reason, or (warn) tell the user and the model and go ahead. */
    static String answer(Enforce enforce, String why) {
        Map<String, Object> specific = new LinkedHashMap<>();
        specific.put("hookEventName", "PreToolUse");
        Map<String, Object> out = new LinkedHashMap<>();
        if (enforce == Enforce.DENY) {
            specific.put("permissionDecision", "deny");
            specific.put("permissionDecisionReason", why);
        } else {
            out.put("systemMessage", why);
            specific.put("additionalContext", why);
        }
        out.put("hookSpecificOutput", specific);
        return Json.mapper().writeValueAsString(out);
    }

    private static String news(String event, List<NewsItem> items) {
        return items.isEmpty() ? "" : context(event, String.join("\n", NewsLines.of(items)));
    }

    static String clip(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    static String context(String event, String text) {
        Map<String, Object> specific = new LinkedHashMap<>();
        specific.put("hookEventName", event);
        specific.put("additionalContext", text);
        return Json.mapper().writeValueAsString(Map.of("hookSpecificOutput", specific));
    }
}
