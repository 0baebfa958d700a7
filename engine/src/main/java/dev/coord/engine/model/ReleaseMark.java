package dev.coord.engine.model;

import java.time.Instant;

/**
 * What a file looked like when its last holder released it, to reveal edits made later outside any lock.
 *
 * @param path lock key
 * @param instance who released it
 * @param sha256 content hash at release, or null
 * @param worktree the releaser's worktree
 * @param at release time
 */
public record ReleaseMark(String path, String instance, String sha256, String worktree, Instant at) {}
