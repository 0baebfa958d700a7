package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.CoordException;
import dev.coord.engine.EngineSettings;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.service.LockService;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** {@code acquire_lock}: advisory locks on files and directories, all or nothing. */
public final class AcquireLockTool extends AbstractTool {
    public static final String NAME = "acquire_lock";
    static final int MAX_CONFLICTS = 20;
    public static final int MAX_PATHS = 100;
    public static final int MAX_REASON = 500;

    public AcquireLockTool(Supplier<Coordinator> coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "Lock files before editing";
    }

    @Override
    String description() {
        return """
                Lock files or directories before editing what other sessions might touch (advisory). A path ending \
                in / locks its subtree; all or none are granted; mode shared lets others read. Any coord call renews \
                your leases. acquired=false is an answer: conflicts say who holds what until when. Never edit a path \
                you did not get: do something else, retry, pass wait_seconds, or ask the holder (send_message \
                release_request). changed_since_release=true: edited outside any lock; re-read it.""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(false, false, true);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(
            boolean acquired,
            List<Views.GrantView> locks,
            List<Views.ConflictView> conflicts,
            Integer moreConflicts,
            List<String> notices) {}

    @Override
    Object call(Args args) {
        AcquireOutcome out = acquire(
                coord().locks(),
                args.strings("paths"),
                args.string("mode"),
                args.integer("ttl_seconds"),
                args.string("reason"),
                args.integer("wait_seconds"));
        List<Views.ConflictView> conflicts = out.conflicts().stream()
                .limit(MAX_CONFLICTS)
                .map(Views.ConflictView::of)
                .toList();
        int more = out.conflicts().size() - conflicts.size();
        return new Result(
                out.acquired(),
                out.grants().stream().map(Views.GrantView::of).toList(),
                conflicts,
                more > 0 ? more : null,
                Views.notices(out.notices()));
    }

    /** Checks the arguments as the model sent them, then acquires. */
    static AcquireOutcome acquire(
            LockService locks, List<String> paths, String mode, Long ttlSeconds, String reason, Long waitSeconds) {
        LockMode lockMode = LockMode.parse(mode);
        checkPaths(paths);
        EngineSettings settings = locks.settings();
        Duration ttl = null;
        if (ttlSeconds != null) {
            ttl = Duration.ofSeconds(ttlSeconds);
            if (ttl.compareTo(EngineSettings.MIN_TTL) < 0 || ttl.compareTo(settings.maxTtl()) > 0) {
                throw CoordException.invalidArgument("ttl_seconds must be between "
                        + EngineSettings.MIN_TTL.toSeconds() + " and "
                        + settings.maxTtl().toSeconds() + ", got "
                        + ttlSeconds);
            }
        }
        Duration wait = waitSeconds == null ? Duration.ZERO : Duration.ofSeconds(waitSeconds);
        if (wait.isNegative() || wait.compareTo(settings.maxWait()) > 0) {
            throw CoordException.invalidArgument(
                    "wait_seconds must be between 0 and " + settings.maxWait().toSeconds() + ", got " + waitSeconds);
        }
        return locks.acquire(paths, lockMode, ttl, reason(reason), wait);
    }

    /** At least one path, at most {@link #MAX_PATHS}, none null. */
    static void checkPaths(List<String> paths) {
        if (paths == null || paths.isEmpty()) {
            throw CoordException.invalidArgument("paths must list at least one path");
        }
        if (paths.size() > MAX_PATHS) {
            throw CoordException.invalidArgument(
                    "at most " + MAX_PATHS + " paths per call, got " + paths.size() + "; lock a directory instead");
        }
        for (String p : paths) {
            if (p == null) {
                throw CoordException.invalidPath("paths must not contain null");
            }
        }
    }

    /** A reason: null when absent or blank, else stripped and at most {@link #MAX_REASON} characters. */
    static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        if (reason.length() > MAX_REASON) {
            throw CoordException.invalidArgument(
                    "reason must be at most " + MAX_REASON + " characters, got " + reason.length());
        }
        return reason.strip();
    }
}
