package dev.coord.engine.model;

/**
 * A lock removed by a release call.
 *
 * @param path lock key
 * @param mode its mode
 * @param token its token
 * @param holder who held it (another instance when forced)
 * @param forced true if it was another instance's lock released with force
 * @param sha256AtGrant the content hash recorded at grant, to tell whether the file changed while held
 * @param worktree the holder's worktree
 */
public record Released(
        String path, LockMode mode, long token, String holder, boolean forced, String sha256AtGrant, String worktree) {}
