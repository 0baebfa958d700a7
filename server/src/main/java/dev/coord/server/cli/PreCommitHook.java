package dev.coord.server.cli;

import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.path.LockKeys;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * git's pre-commit hook: refuses a commit whose staged files another live session is editing (holds an exclusive lock
 * or edit claim on) and the committing one is not. A commit made by a person is no session, so every holder counts as
 * another; a session is recognised by {@code COORD_SESSION_ID} (instance id or Claude Code session id) or, in the
 * shell of a Claude Code session, {@code CLAUDE_CODE_SESSION_ID}. An edit claim counts only in the worktree being
 * committed: a session in another worktree edits its own copy of the file (the overlap radar reports that case).
 */
final class PreCommitHook {
    static final String SESSION_ENV = "COORD_SESSION_ID";
    static final String CLAUDE_SESSION_ENV = "CLAUDE_CODE_SESSION_ID";
    private static final int MAX_LISTED = 10;

    private final CliEnv ctx;

    PreCommitHook(CliEnv ctx) {
        this.ctx = ctx;
    }

    int run() throws IOException, InterruptedException {
        List<String> staged = staged();
        if (staged.isEmpty()) {
            return ExitCodes.SUCCESS;
        }
        Snapshot snap;
        try (CoordStore store = ctx.openExistingStore()) {
            if (store == null) {
                return ExitCodes.SUCCESS;
            }
            snap = store.read();
        }
        String me = caller(ctx.env());
        Map<String, Instance> byId = new HashMap<>();
        snap.instances().forEach(i -> byId.put(i.id(), i));
        String here = ctx.layout().root().toString();
        List<String> refused = new ArrayList<>();
        for (String file : staged) {
            for (LockRecord l : snap.locks()) {
                if (l.mode() != LockMode.EXCLUSIVE || !LockKeys.overlaps(l.path(), file)) {
                    continue;
                }
                if (l.auto() && l.worktree() != null && !l.worktree().equals(here)) {
                    continue; // an edit claim in another worktree: that session edits its own copy of the file
                }
                Instance h = byId.get(l.holder());
                if (me != null && (me.equals(l.holder()) || (h != null && me.equals(h.sessionId())))) {
                    continue;
                }
                refused.add(file + (l.auto() ? " is being edited" : " is locked")
                        + (l.path().equals(file) ? "" : " through " + l.path()) + " by "
                        + l.holder() + (h == null || h.task() == null ? "" : " (" + h.task() + ")") + " until "
                        + l.expiresAt().truncatedTo(ChronoUnit.SECONDS));
                break;
            }
        }
        if (refused.isEmpty()) {
            return ExitCodes.SUCCESS;
        }
        ctx.err().println("coord: commit refused: another live session is editing staged files:");
        refused.stream().limit(MAX_LISTED).forEach(r -> ctx.err().println("  " + r));
        if (refused.size() > MAX_LISTED) {
            ctx.err().println("  and " + (refused.size() - MAX_LISTED) + " more");
        }
        ctx.err()
                .println("Commit only your own files: unstage those (git restore --staged -- <paths>) or commit with"
                        + " git commit -- <your paths>; or wait for the release (coord status). Set " + SESSION_ENV
                        + " to the holder's id if you commit for it; --no-verify skips this check.");
        return ExitCodes.FAILURE;
    }

    /** The committing session: {@code COORD_SESSION_ID}, else {@code CLAUDE_CODE_SESSION_ID}; null for a person. */
    static String caller(java.util.Map<String, String> env) {
        for (String name : List.of(SESSION_ENV, CLAUDE_SESSION_ENV)) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    /** Staged paths, relative to the worktree top level, as git lists them. */
    private List<String> staged() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "diff", "--cached", "--name-only", "-z", "--no-renames")
                .directory(ctx.layout().root().toFile())
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        git.getOutputStream().close();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = git.waitFor();
        if (rc != 0) {
            throw new IOException("git diff --cached --name-only exited with " + rc + " in "
                    + ctx.layout().root());
        }
        List<String> files = new ArrayList<>();
        for (String f : out.split("\0")) {
            if (!f.isEmpty()) {
                files.add(f);
            }
        }
        return files;
    }
}
