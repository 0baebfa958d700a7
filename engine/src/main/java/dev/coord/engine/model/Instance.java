package dev.coord.engine.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One registered server process (one Claude Code session).
 *
 * @param id stable id {@code claude-YYYYMMDD-HHMMSS-<8 hex>}
 * @param pid operating-system process id
 * @param processStart process start time as reported by the OS; with pid and boot id it identifies the process
 * @param host host name (or {@code COORD_HOST_ID})
 * @param bootId kernel boot id; a different boot id on the same host means the process is gone
 * @param worktree absolute path of the worktree the process works in
 * @param branch current git branch, or null
 * @param clientName MCP client name, once known
 * @param clientVersion MCP client version, once known
 * @param sessionId {@code CLAUDE_CODE_SESSION_ID} when present
 * @param task what the session works on, as the agent declared it
 * @param role the agent's role, as declared
 * @param startedAt registration time
 * @param lastHeartbeat last time the process proved it is alive
 */
public record Instance(
        String id,
        long pid,
        Instant processStart,
        String host,
        String bootId,
        String worktree,
        String branch,
        String clientName,
        String clientVersion,
        String sessionId,
        String task,
        String role,
        Instant startedAt,
        Instant lastHeartbeat) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    }

    public Instance withHeartbeat(Instant at) {
        return new Instance(
                id,
                pid,
                processStart,
                host,
                bootId,
                worktree,
                branch,
                clientName,
                clientVersion,
                sessionId,
                task,
                role,
                startedAt,
                at);
    }

    public Instance withWork(String newTask, String newRole, String newBranch) {
        return new Instance(
                id,
                pid,
                processStart,
                host,
                bootId,
                worktree,
                newBranch,
                clientName,
                clientVersion,
                sessionId,
                newTask,
                newRole,
                startedAt,
                lastHeartbeat);
    }

    public Instance withClient(String name, String version) {
        return new Instance(
                id,
                pid,
                processStart,
                host,
                bootId,
                worktree,
                branch,
                name,
                version,
                sessionId,
                task,
                role,
                startedAt,
                lastHeartbeat);
    }
}
