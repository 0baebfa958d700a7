package dev.coord.server.cli;

import dev.coord.engine.git.ConflictPredictor;
import dev.coord.engine.git.Git;
import dev.coord.engine.git.PushCheck;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.ExitCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * git's pre-push hook: warns on stderr, and never refuses, when a pushed commit would conflict with the commit another
 * live session has checked out ({@code git merge-tree}). The pushing session (named by {@code COORD_SESSION_ID} or
 * {@code CLAUDE_CODE_SESSION_ID}) and the sessions in its own worktree are not compared with.
 */
final class PrePushHook {
    private static final String ZERO = "0000000000000000000000000000000000000000";
    private static final int MAX_FILES = 5;

    private final CliEnv ctx;

    PrePushHook(CliEnv ctx) {
        this.ctx = ctx;
    }

    int run() throws IOException {
        List<String> pushed = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && pushed.size() < 100) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[1].matches("[0-9a-f]{40,64}") && !f[1].equals(ZERO)) {
                refs.add(f[0]);
                pushed.add(f[1]);
            }
        }
        if (pushed.isEmpty() || !ctx.layout().git()) {
            return ExitCodes.SUCCESS;
        }
        Snapshot snap;
        try (CoordStore store = ctx.openExistingStore()) {
            if (store == null) {
                return ExitCodes.SUCCESS;
            }
            snap = store.read();
        }
        String me = PreCommitHook.caller(ctx.env());
        String here = ctx.layout().root().toString();
        String host = HostIdentity.current(ctx.env()).host();
        List<Instance> others = new ArrayList<>();
        for (Instance i : snap.instances()) {
            boolean mine = me != null && (me.equals(i.id()) || me.equals(i.sessionId()));
            if (!mine && !here.equals(i.worktree()) && Objects.equals(host, i.host())) {
                others.add(i);
            }
        }
        if (others.isEmpty()) {
            return ExitCodes.SUCCESS;
        }
        Git git = new Git();
        PushCheck check = new PushCheck(
                git, new ConflictPredictor(git, git.version(ctx.layout().root())));
        if (!check.available()) {
            ctx.err().println("coord: git older than 2.38 cannot predict conflicts with the other sessions' branches");
            return ExitCodes.SUCCESS;
        }
        for (int k = 0; k < pushed.size(); k++) {
            for (PushCheck.Clash c : check.clashes(ctx.layout().root(), pushed.get(k), others)) {
                Instance o = c.other();
                List<String> files = new ArrayList<>(c.files());
                String listed = String.join(", ", files.subList(0, Math.min(MAX_FILES, files.size())))
                        + (files.size() > MAX_FILES ? " and " + (files.size() - MAX_FILES) + " more" : "");
                ctx.err()
                        .println("coord: warning: " + refs.get(k) + " would conflict with "
                                + (o.branch() == null ? "the work" : "branch " + o.branch()) + " of " + o.id()
                                + (o.task() == null ? "" : " (" + o.task() + ")") + " in " + o.worktree() + ": "
                                + listed
                                + ". Agree with that session on who changes what before merging (coord conflicts).");
            }
        }
        return ExitCodes.SUCCESS;
    }
}
