package dev.coord.server.cli;

import dev.coord.engine.CoordException;
import dev.coord.engine.git.ChangedElsewhere;
import dev.coord.engine.git.GitAliases;
import dev.coord.engine.git.RadarCache;
import dev.coord.engine.git.SharedTreeGuard;
import dev.coord.engine.json.Json;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.path.LockKeys;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.repo.RepoLayout;
import dev.coord.engine.repo.RepoLocator;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ConfigException;
import dev.coord.server.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Claude Code's PreToolUse hook for Write, Edit, MultiEdit and NotebookEdit: when another live session holds a lock
 * covering the file, it blocks the edit ({@code COORD_ENFORCE=deny}) or warns the model and the user without
 * blocking ({@code warn}, the default); {@code off} does nothing. A free file gives exit 0 and no output.
 *
 * <p>Read-only: it registers nothing and renews nothing. It never blocks by failing: a broken input or an unreadable
 * state is reported on stderr with exit 1, which Claude Code treats as a non-blocking error.
 */
final class PreEditHook {
    static final String ENFORCE = "COORD_ENFORCE";
    static final String SESSION_ENV = "CLAUDE_CODE_SESSION_ID";
    private static final int MAX_INPUT = 4 * 1024 * 1024;
    private static final int MAX_LISTED = 3;

    private final CliEnv ctx;

    PreEditHook(CliEnv ctx) {
        this.ctx = ctx;
    }

    int run() {
        String mode = ctx.env().getOrDefault(ENFORCE, "warn").strip().toLowerCase(Locale.ROOT);
        if (mode.isEmpty()) {
            mode = "warn";
        }
        if (mode.equals("off")) {
            return ExitCodes.SUCCESS;
        }
        if (!mode.equals("warn") && !mode.equals("deny")) {
            return fail(
                    ENFORCE + " must be deny, warn or off, got \"" + ctx.env().get(ENFORCE) + "\"");
        }
        JsonNode input;
        try {
            byte[] bytes = ctx.in().readNBytes(MAX_INPUT);
            input = Json.mapper().readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | JacksonException e) {
            return fail("the hook input on stdin is not JSON: " + e.getMessage());
        }
        if (input == null || !input.isObject()) {
            return fail("the hook input on stdin must be a JSON object, got " + (input == null ? "nothing" : input));
        }
        if ("Bash".equals(text(input, "tool_name"))) {
            return bash(input, mode);
        }
        String file = text(input.path("tool_input"), "file_path");
        if (file == null) {
            file = text(input.path("tool_input"), "notebook_path");
        }
        if (file == null) {
            return ExitCodes.SUCCESS;
        }
        try {
            List<String> changed = new ArrayList<>();
            List<String> reasons = blockers(input, file, changed);
            if (reasons.isEmpty() && !changed.isEmpty()) {
                String message = String.join("; ", changed)
                        + ". Nobody holds a lock on it, but editing it too makes a merge conflict likely: check with"
                        + " that session (coord status shows its task) or keep your change small.";
                ctx.out().println(Json.mapper().writeValueAsString(output("warn", message)));
                return ExitCodes.SUCCESS;
            }
            if (reasons.isEmpty()) {
                return ExitCodes.SUCCESS;
            }
            String message = String.join("; ", reasons)
                    + ". Edit it only once the lock is released: ask coord's status tool who holds what, work on"
                    + " something else meanwhile, or acquire_lock with wait_seconds.";
            ctx.out().println(Json.mapper().writeValueAsString(output(mode, message)));
            return ExitCodes.SUCCESS;
        } catch (CoordException | ConfigException e) {
            return fail(e.getMessage());
        }
    }

    /** The hook's answer in Claude Code's PreToolUse output format. */
    static Map<String, Object> output(String mode, String message) {
        Map<String, Object> specific = new LinkedHashMap<>();
        specific.put("hookEventName", "PreToolUse");
        Map<String, Object> out = new LinkedHashMap<>();
        if (mode.equals("deny")) {
            specific.put("permissionDecision", "deny");
            specific.put("permissionDecisionReason", message);
        } else {
            out.put("systemMessage", "coord: " + message);
            specific.put("additionalContext", "coord warning: " + message);
        }
        out.put("hookSpecificOutput", specific);
        return out;
    }

    /** One line per lock of another live session covering the file; empty when the edit may go ahead. */
    private List<String> blockers(JsonNode input, String file, List<String> changedElsewhere) {
        Path cwd = cwdOf(input);
        ctx.config(); // the checks every entry point makes: a malformed COORD_* variable is reported, not ignored
        RepoLayout layout = RepoLocator.locate(cwd, ctx.env());
        Path stateDir = RepoLocator.stateDir(layout, ctx.env());
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        String key;
        try {
            Path target = Path.of(file);
            String absolute = target.isAbsolute() ? file : cwd.resolve(target).toString();
            key = new PathPolicy(layout.root(), stateDir).toKey(absolute);
        } catch (CoordException | InvalidPathException e) {
            return List.of(); // outside the repository, or a path coord does not lock: not coord's business
        }
        Snapshot snap;
        CliEnv here = new CliEnv(ctx.env(), cwd, ctx.out(), ctx.err(), ctx.in(), ctx.clock(), false);
        try (CoordStore store = here.openStore()) {
            snap = store.read();
        }
        Set<String> callers = callers(input);
        Map<String, Instance> byId = new HashMap<>();
        Set<String> mine = new HashSet<>();
        for (Instance i : snap.instances()) {
            byId.put(i.id(), i);
            if (i.sessionId() != null && callers.contains(i.sessionId())) {
                mine.add(i.id());
            }
        }
        List<String> reasons = new ArrayList<>();
        int more = 0;
        for (LockRecord l : snap.locks()) {
            if (mine.contains(l.holder()) || !LockKeys.overlaps(l.path(), key)) {
                continue;
            }
            if (reasons.size() == MAX_LISTED) {
                more++;
                continue;
            }
            Instance h = byId.get(l.holder());
            String task = h == null || h.task() == null ? "no task declared" : h.task();
            reasons.add(key + " is locked" + (l.path().equals(key) ? "" : " through " + l.path()) + " ("
                    + l.mode().wireName() + ") by " + l.holder() + " (" + task + ") until "
                    + l.expiresAt().truncatedTo(ChronoUnit.SECONDS));
        }
        if (more > 0) {
            reasons.add("and " + more + " more lock(s)");
        }
        if (reasons.isEmpty() && layout.git() && mine.stream().noneMatch(id -> holdsOn(snap, id, key))) {
            changedElsewhere.addAll(ChangedElsewhere.lines(
                    new RadarCache(stateDir).read().orElse(null),
                    key,
                    layout.root().toString(),
                    i -> mine.contains(i.id()),
                    byId));
        }
        return reasons;
    }

    private static boolean holdsOn(Snapshot snap, String id, String key) {
        return snap.locks().stream().anyMatch(l -> l.holder().equals(id) && LockKeys.overlaps(l.path(), key));
    }

    /** The Bash guard: git commands that act on a worktree other live sessions share. */
    private int bash(JsonNode input, String mode) {
        String command = text(input.path("tool_input"), "command");
        if (command == null) {
            return ExitCodes.SUCCESS;
        }
        Path cwd = cwdOf(input);
        try {
            RepoLayout layout = RepoLocator.locate(cwd, ctx.env());
            Path stateDir = RepoLocator.stateDir(layout, ctx.env());
            if (!layout.git() || !Files.isDirectory(stateDir)) {
                return ExitCodes.SUCCESS;
            }
            Snapshot snap;
            CliEnv here = new CliEnv(ctx.env(), cwd, ctx.out(), ctx.err(), ctx.in(), ctx.clock(), false);
            try (CoordStore store = here.openStore()) {
                snap = store.read();
            }
            Set<String> callers = callers(input);
            Optional<String> reason = SharedTreeGuard.check(
                    command,
                    cwd,
                    i -> i.sessionId() != null && callers.contains(i.sessionId()),
                    snap.instances(),
                    GitAliases.in(cwd));
            if (reason.isPresent()) {
                ctx.out().println(Json.mapper().writeValueAsString(output(mode, reason.get())));
            }
            return ExitCodes.SUCCESS;
        } catch (CoordException | ConfigException e) {
            return fail(e.getMessage());
        }
    }

    private Set<String> callers(JsonNode input) {
        Set<String> callers = new HashSet<>();
        String hookSession = text(input, "session_id");
        if (hookSession != null) {
            callers.add(hookSession);
        }
        String envSession = ctx.env().get(SESSION_ENV);
        if (envSession != null && !envSession.isBlank()) {
            callers.add(envSession);
        }
        return callers;
    }

    private Path cwdOf(JsonNode input) {
        String inputCwd = text(input, "cwd");
        if (inputCwd != null) {
            try {
                Path p = Path.of(inputCwd);
                if (Files.isDirectory(p)) {
                    return p;
                }
            } catch (InvalidPathException e) {
                // keep the process's working directory
            }
        }
        return ctx.cwd();
    }

    private int fail(String message) {
        ctx.err().println("coord hook pre-edit: " + message);
        return ExitCodes.FAILURE;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isString()) {
            return null;
        }
        String s = v.asString();
        return s.isBlank() ? null : s;
    }
}
