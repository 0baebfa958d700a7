package dev.coord.bench;

import dev.coord.engine.git.Git;
import dev.coord.engine.git.Radar;
import dev.coord.engine.git.RadarResult;
import dev.coord.engine.git.SessionWork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The git overlap radar's cost: {@code status} answered by 8 servers in 8 linked worktrees of one repository, with
 * the radar off ({@code COORD_RADAR_INTERVAL=0}) and on (1 s, five times more often than the default), and the time
 * of one radar run (all worktrees scanned, conflicts predicted) on a repository of 10,000 and of 100,000 files.
 */
final class Worktrees {
    private Worktrees() {}

    static final int SERVERS = 8;
    static final int CALLS = Integer.getInteger("bench.calls", 2000) / 4;
    static final int WARMUP = 80;
    static final int FILES = Integer.getInteger("bench.radar.files", 10_000);
    static final int BIG_FILES = Integer.getInteger("bench.radar.bigfiles", 100_000);

    static void run(Env env) throws Exception {
        Launch l = Launch.server(env);
        Path repo = env.newRepo("worktrees");
        List<Path> trees = populate(repo, FILES, SERVERS);
        Stats off = statusTimes(l, env, trees, "0", new int[1], new long[1]);
        int[] overlaps = new int[1];
        long[] took = new long[1];
        Stats on = statusTimes(l, env, trees, "1s", overlaps, took);

        StringBuilder runs = new StringBuilder();
        runs.append("| " + String.format("%,d", FILES) + " files, " + SERVERS + " worktrees | ")
                .append(radarRun(trees))
                .append(" |\n");
        Path big = env.newRepo("worktrees-big");
        List<Path> bigTrees = populate(big, BIG_FILES, 2);
        runs.append("| " + String.format("%,d", BIG_FILES) + " files, 2 worktrees | ")
                .append(radarRun(bigTrees))
                .append(" |\n");

        env.report("## The git radar: status with " + SERVERS + " live worktrees (" + CALLS + " calls measured after "
                + WARMUP + " warm-up each, round robin over the servers)\n\n"
                + "Each worktree has a branch with one commit of its own and uncommitted edits; two branches change"
                + " the same lines of one file. Launch: `" + l.shown(env.root) + "`.\n\n"
                + "| radar | status median ms | p99 ms | max ms | calls |\n|---|---|---|---|---|\n"
                + "| off (`COORD_RADAR_INTERVAL=0`) | " + off.cells() + " |\n"
                + "| on, every 1 s | " + on.cells() + " |\n\n"
                + "With the radar on, status showed " + overlaps[0] + " overlap(s) to the first server; the shared"
                + " radar.json said one run took " + took[0] + " ms.\n\n"
                + "One radar run (git status and git diff base...HEAD per worktree, git merge-tree per pair with"
                + " shared changed files), median of 5:\n\n"
                + "| repository | median ms | min ms | max ms |\n|---|---|---|---|\n"
                + runs + "\n");
    }

    private static Stats statusTimes(Launch l, Env env, List<Path> trees, String interval, int[] overlaps, long[] took)
            throws Exception {
        List<Rpc> servers = new ArrayList<>();
        Stats s = new Stats();
        try {
            for (int i = 0; i < trees.size(); i++) {
                Rpc rpc = l.spawn(trees.get(i), Map.of("COORD_RADAR_INTERVAL", interval), env.stderrLog);
                servers.add(rpc);
                rpc.initialize();
                rpc.call("register_instance", Map.of("task", "worktree " + i));
            }
            Thread.sleep(8_000); // the radar's first runs (it starts 2 s after a server serves)
            for (int i = 0; i < WARMUP + CALLS; i++) {
                Rpc rpc = servers.get(i % servers.size());
                long t0 = System.nanoTime();
                rpc.call("status", Map.of());
                if (i >= WARMUP) {
                    s.add(System.nanoTime() - t0);
                }
            }
            var status = servers.get(0).call("status", Map.of());
            overlaps[0] = status.path("overlaps").size();
            Path cache = trees.get(0).resolve(".claude/coordination/radar.json");
            if (Files.exists(cache)) {
                took[0] = Rpc.JSON
                        .readTree(Files.readString(cache))
                        .path("took_ms")
                        .asLong();
            }
        } finally {
            for (Rpc rpc : servers) {
                rpc.close();
            }
        }
        return s;
    }

    private static String radarRun(List<Path> trees) {
        List<SessionWork> sessions = new ArrayList<>();
        for (int i = 0; i < trees.size(); i++) {
            sessions.add(new SessionWork("claude-bench-" + i, trees.get(i).toString(), Set.of()));
        }
        Radar radar = new Radar(new Git(), "bench", null, Clock.systemUTC());
        Stats s = new Stats();
        RadarResult last = null;
        for (int k = 0; k < 5; k++) {
            long t0 = System.nanoTime();
            last = radar.run(sessions);
            s.add(System.nanoTime() - t0);
        }
        if (!last.problems().isEmpty()) {
            throw new IllegalStateException("radar problems: " + last.problems());
        }
        return Stats.ms(s.medianMs()) + " | " + Stats.ms(s.quantileMs(0)) + " | " + Stats.ms(s.maxMs());
    }

    /** Commits {@code files} files, then adds {@code trees - 1} linked worktrees with a branch each. */
    static List<Path> populate(Path repo, int files, int trees) throws IOException, InterruptedException {
        for (int i = 0; i < files; i++) {
            Path f = repo.resolve("src/d" + (i / 1000) + "/f" + i + ".txt");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "file " + i + "\nline 2\nline 3\nline 4\nline 5\n");
        }
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "start");
        List<Path> out = new ArrayList<>();
        out.add(repo);
        for (int t = 1; t < trees; t++) {
            Path wt = repo.resolveSibling(repo.getFileName() + "-wt" + t);
            git(repo, "worktree", "add", "-q", "-b", "b" + t, wt.toString());
            out.add(wt);
        }
        for (int t = 0; t < out.size(); t++) {
            Path wt = out.get(t);
            if (t > 0) {
                Files.writeString(wt.resolve("src/d0/f" + t + ".txt"), "branch " + t + "\n");
                Files.writeString(
                        wt.resolve("src/d0/f0.txt"),
                        t <= 2 ? "conflict " + t + "\n" : "file 0\nline 2\n" + "line 3\nline 4\nline 5\n");
                git(wt, "commit", "-q", "-am", "work " + t);
            }
            Files.writeString(wt.resolve("src/d0/f" + (100 + t) + ".txt"), "uncommitted " + t + "\n");
            Files.writeString(wt.resolve("src/d0/f999.txt"), "everyone edits this " + t + "\n");
        }
        return out;
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=bench", "-c", "user.email=b@example.com"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new UncheckedIOException(new IOException("git " + String.join(" ", args) + ": " + out));
        }
    }
}
