package dev.coord.tools;

import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.service.LockService;
import java.util.List;

/**
 * The lock calls as the model makes them (arguments unchecked) over one session's engine service: the same path
 * {@link AcquireLockTool} and {@link ReleaseLockTool} take, minus JSON.
 */
final class LockCalls {
    final LockService engine;

    LockCalls(LockService engine) {
        this.engine = engine;
    }

    AcquireOutcome acquire(List<String> paths, String mode, Long ttlSeconds, String reason, Long waitSeconds) {
        return AcquireLockTool.acquire(engine, paths, mode, ttlSeconds, reason, waitSeconds);
    }

    LockService.ReleaseResult release(List<String> paths, boolean all, boolean force, String reason) {
        return ReleaseLockTool.release(engine, paths, all, force, reason);
    }
}
