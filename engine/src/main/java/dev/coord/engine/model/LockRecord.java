package dev.coord.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One granted lock lease.
 *
 * @param path repository-relative key; a directory key ends with {@code /} and covers its subtree
 * @param mode exclusive or shared
 * @param holder instance id of the holder
 * @param token fencing token of this grant; tokens only grow
 * @param acquiredAt when this grant was made
 * @param expiresAt end of the lease unless renewed
 * @param ttlSeconds lease length used for renewals
 * @param reason why the holder took it, if said
 * @param sha256 content hash of the file at grant time; null for directories and missing files
 * @param worktree the holder's worktree (hashes compare only within one worktree)
 * @param auto an edit claim: taken by Claude Code's edit hook rather than by the model; always exclusive, its lease
 *     is the edit-claim idle time, renewed only by another edit of the file (not by other activity)
 */
public record LockRecord(
        String path,
        LockMode mode,
        String holder,
        long token,
        Instant acquiredAt,
        Instant expiresAt,
        long ttlSeconds,
        String reason,
        String sha256,
        String worktree,

        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        boolean auto) {

    public LockRecord {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A lock taken by a model's {@code acquire_lock}: not an edit claim. */
    public LockRecord(
            String path,
            LockMode mode,
            String holder,
            long token,
            Instant acquiredAt,
            Instant expiresAt,
            long ttlSeconds,
            String reason,
            String sha256,
            String worktree) {
        this(path, mode, holder, token, acquiredAt, expiresAt, ttlSeconds, reason, sha256, worktree, false);
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public LockRecord renewed(Instant now, long newTtlSeconds, String newReason) {
        return new LockRecord(
                path,
                mode,
                holder,
                token,
                acquiredAt,
                now.plus(Duration.ofSeconds(newTtlSeconds)),
                newTtlSeconds,
                newReason == null ? reason : newReason,
                sha256,
                worktree,
                auto);
    }

    /** The same grant turned into (or kept as) a lock the model asked for: it no longer ends on edit idleness. */
    public LockRecord asRequested() {
        return auto
                ? new LockRecord(path, mode, holder, token, acquiredAt, expiresAt, ttlSeconds, reason, sha256, worktree)
                : this;
    }
}
