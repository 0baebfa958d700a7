package dev.coord.server.it.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The sessions' own git work next to the servers: linked worktrees of the chaos repository, one per group of slots,
 * each with an editor thread that appends lines to files (some shared with one other worktree, one with all, the rest
 * its own) and commits now and then with {@code git add -A} and {@code git commit}, as a session's shell would. The
 * editors are the ground truth of what each worktree changed, kept apart from git and from coord; every git command
 * they run must succeed whatever coord's radar runs in the same worktrees at the same time.
 */
final class GitWorkload {
    static final String BASE = "main";
    /** Edited by every worktree, rarely. */
    static final String ALL = "shared/all.txt";

    final Path repo;
    final List<Path> worktrees;
    private final GitLedger ledger;
    private final List<Set<String>> touched = new ArrayList<>();
    private final List<Set<String>> dirty = new ArrayList<>();
    private final List<Thread> editors = new ArrayList<>();
    private volatile boolean stop;

    private GitWorkload(Path repo, List<Path> worktrees, GitLedger ledger) {
        this.repo = repo;
        this.worktrees = worktrees;
        this.ledger = ledger;
        for (int i = 0; i < worktrees.size(); i++) {
            touched.add(new HashSet<>());
            dirty.add(new HashSet<>());
        }
    }

    /** What a git command printed and how it ended. */
    record Run(int exit, String out) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Run git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(
                List.of("git", "-c", "user.name=chaos", "-c", "user.email=chaos@example.com", "-c", "gc.auto=0"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timed out: " + out);
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            return new Run(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-3, "interrupted");
        }
    }

    private static void must(Path dir, String... args) {
        Run r = git(dir, args);
        if (!r.ok()) {
            throw new IllegalStateException("git " + String.join(" ", args) + " in " + dir + ": " + r.out());
        }
    }

    /**
     * Makes the chaos repository's first commit on {@code main} (the files the locks name) and {@code count} linked
     * worktrees beside it, {@code base/wt-K} on branch {@code wt-K}, each with a first commit of its own.
     */
    static GitWorkload prepare(Path repo, Path base, int count, GitLedger ledger) throws IOException {
        must(repo, "symbolic-ref", "HEAD", "refs/heads/" + BASE);
        must(repo, "add", "hot", "cold");
        must(repo, "commit", "-q", "-m", "chaos: the locked files");
        List<Path> trees = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Path wt = base.resolve("wt-" + k);
            must(repo, "worktree", "add", "-q", "-b", "wt-" + k, wt.toString(), BASE);
            trees.add(wt.toRealPath());
        }
        GitWorkload w = new GitWorkload(repo, List.copyOf(trees), ledger);
        for (int k = 0; k < count; k++) {
            String own = "own-" + k + "/start.txt";
            w.append(k, own);
            must(trees.get(k), "add", "-A");
            must(trees.get(k), "commit", "-q", "-m", "wt-" + k + ": start");
            synchronized (w) {
                w.dirty.get(k).clear();
            }
        }
        return w;
    }

    /** The worktree of a slot. */
    Path worktreeOf(int slot) {
        return worktrees.get(Math.floorMod(slot, worktrees.size()));
    }

    /** The files worktree {@code k} edits that another worktree edits too: its neighbours' and {@link #ALL}. */
    private String sharedFile(int k, ThreadLocalRandom rnd) {
        int n = worktrees.size();
        if (rnd.nextInt(20) == 0) {
            return ALL;
        }
        // worktree k shares s<k> with k-1 and s<k+1> with k+1; with 3 worktrees every pair shares one file
        int which = rnd.nextBoolean() ? k : (k + 1) % n;
        return "shared/s" + which + ".txt";
    }

    void append(int k, String file) throws IOException {
        Path f = worktrees.get(k).resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(
                f,
                "wt-" + k + " " + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        synchronized (this) {
            touched.get(k).add(file);
            dirty.get(k).add(file);
        }
    }

    void start() {
        for (int k = 0; k < worktrees.size(); k++) {
            int wt = k;
            Thread t = new Thread(() -> edit(wt), "chaos-editor-" + k);
            t.setDaemon(true);
            editors.add(t);
            t.start();
        }
    }

    void stop() throws InterruptedException {
        stop = true;
        for (Thread t : editors) {
            t.join(180_000);
        }
    }

    private void edit(int k) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Path wt = worktrees.get(k);
        while (!stop) {
            Driver.sleepMicros(rnd.nextLong(80_000, 300_000));
            String file = rnd.nextInt(5) < 2 ? sharedFile(k, rnd) : "own-" + k + "/f" + rnd.nextInt(4) + ".txt";
            try {
                append(k, file);
                ledger.sessionEdits.incrementAndGet();
            } catch (IOException e) {
                ledger.gitFailure("wt-" + k + ": could not write " + file + ": " + e);
            }
            if (rnd.nextInt(6) == 0) {
                Set<String> staged;
                synchronized (this) {
                    staged = new HashSet<>(dirty.get(k));
                }
                Run add = git(wt, "add", "-A");
                ledger.sessionGitCommands.incrementAndGet();
                if (!add.ok()) {
                    ledger.gitFailure("wt-" + k + ": git add -A exited " + add.exit() + ": "
                            + add.out().strip());
                    continue;
                }
                Run commit = git(wt, "commit", "-q", "-m", "wt-" + k + " edits");
                ledger.sessionGitCommands.incrementAndGet();
                if (!commit.ok()) {
                    ledger.gitFailure("wt-" + k + ": git commit exited " + commit.exit() + ": "
                            + commit.out().strip());
                    continue;
                }
                ledger.sessionCommits.incrementAndGet();
                synchronized (this) {
                    dirty.get(k).removeAll(staged);
                }
            }
        }
    }

    /** Worktree index by its path, or -1. */
    int indexOf(String worktree) {
        for (int k = 0; k < worktrees.size(); k++) {
            if (worktrees.get(k).toString().equals(worktree)) {
                return k;
            }
        }
        return -1;
    }

    /**
     * The overlaps the radar must report between these sessions (instance id to worktree index), from the editors'
     * records alone: a path both worktrees changed since they branched off {@code main}; {@code conflict} true when
     * both changed it in commits only (the editors append different lines to a file that is not on {@code main}, so
     * the merge always conflicts there), unknown ("null") when either has it uncommitted. As "path a b conflict".
     */
    synchronized Set<String> expectedOverlaps(Map<String, Integer> sessions) {
        Set<String> out = new TreeSet<>();
        List<String> ids = new ArrayList<>(new TreeSet<>(sessions.keySet()));
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                int ki = sessions.get(ids.get(i));
                int kj = sessions.get(ids.get(j));
                if (ki == kj) {
                    continue; // same worktree: only edit claims make overlaps, and none is held after the chaos
                }
                for (String p : touched.get(ki)) {
                    if (touched.get(kj).contains(p)) {
                        boolean committedOnly =
                                !dirty.get(ki).contains(p) && !dirty.get(kj).contains(p);
                        out.add(p + " " + ids.get(i) + " " + ids.get(j) + " " + (committedOnly ? "true" : "null"));
                    }
                }
            }
        }
        return out;
    }

    /** The witness's record of worktree k against git's own view of it; a difference means the witness is wrong. */
    void crossCheck() {
        for (int k = 0; k < worktrees.size(); k++) {
            Path wt = worktrees.get(k);
            Set<String> seen = new TreeSet<>();
            Run diff = git(wt, "diff", "--name-only", "-z", "--no-renames", BASE + "...HEAD", "--");
            Run status = git(wt, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames");
            if (!diff.ok() || !status.ok()) {
                ledger.witnessDisagrees.add("wt-" + k + ": git diff/status failed: " + diff.out() + status.out());
                continue;
            }
            for (String s : diff.out().split("\0")) {
                if (!s.isEmpty()) {
                    seen.add(s);
                }
            }
            for (String s : status.out().split("\0")) {
                if (s.length() > 3) {
                    seen.add(s.substring(3));
                }
            }
            Set<String> mine;
            synchronized (this) {
                mine = new TreeSet<>(touched.get(k));
            }
            if (!seen.equals(mine)) {
                ledger.witnessDisagrees.add("wt-" + k + ": git says " + seen + ", the editor wrote " + mine);
            }
        }
    }

    /**
     * After every server has stopped: no git process of the run is left (a radar run's git child of a killed server
     * ends on its own), no {@code index.lock} is left, and in every worktree {@code git status} and a commit still
     * work; {@code git fsck} finds nothing wrong.
     */
    void healthCheck(Path base) throws IOException, InterruptedException {
        ledger.healthChecked = true;
        long deadline = System.currentTimeMillis() + 15_000;
        List<String> left = gitProcessesUnder(base);
        while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            left = gitProcessesUnder(base);
        }
        ledger.leftoverGitProcesses = left.size();
        left.forEach(p -> ledger.worktreeGitProblems.add("git process still running: " + p));
        Path gitDir = repo.resolve(".git");
        List<Path> locks = new ArrayList<>();
        try (Stream<Path> s = Files.walk(gitDir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".lock")).forEach(locks::add);
        }
        ledger.indexLocks = locks.size();
        locks.forEach(p -> ledger.worktreeGitProblems.add("lock file left: " + gitDir.relativize(p)));
        try (Stream<Path> s = Files.walk(gitDir.resolve("objects"))) {
            ledger.tmpObjects = (int) s.filter(p -> p.getFileName().toString().startsWith("tmp_obj_"))
                    .count();
        }
        for (int k = 0; k < worktrees.size(); k++) {
            Path wt = worktrees.get(k);
            Run status = git(wt, "status", "--porcelain");
            if (!status.ok()) {
                ledger.worktreeGitProblems.add("wt-" + k + ": git status exited " + status.exit() + ": "
                        + status.out().strip());
            }
            Run add = git(wt, "add", "-A");
            Run commit = git(wt, "commit", "-q", "--allow-empty", "-m", "after the chaos");
            if (!add.ok() || !commit.ok()) {
                ledger.worktreeGitProblems.add("wt-" + k + ": git add/commit after the chaos failed: "
                        + add.out().strip() + " " + commit.out().strip());
            }
        }
        Run fsck = git(repo, "fsck", "--no-progress", "--no-dangling", "--strict");
        if (!fsck.ok()
                || fsck.out().toLowerCase(java.util.Locale.ROOT).matches("(?s).*(error|missing|broken|corrupt).*")) {
            ledger.fsckProblems.add(
                    "git fsck exited " + fsck.exit() + ": " + fsck.out().strip());
        }
    }

    /** Git processes whose working directory is under {@code base}: "pid cwd". */
    static List<String> gitProcessesUnder(Path base) {
        List<String> out = new ArrayList<>();
        String prefix = base.toAbsolutePath().toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String comm = Files.readString(p.resolve("comm")).strip();
                    if (!comm.startsWith("git")) {
                        continue;
                    }
                    String cwd = Files.readSymbolicLink(p.resolve("cwd")).toString();
                    if (cwd.startsWith(prefix)) {
                        out.add(name + " " + comm + " in " + cwd);
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to check here
        }
        return out;
    }

    /** Per worktree: edits and the sets, for the report. */
    synchronized Map<String, String> summary() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < worktrees.size(); k++) {
            m.put(
                    "wt-" + k,
                    touched.get(k).size() + " files changed, " + dirty.get(k).size() + " uncommitted");
        }
        return m;
    }
}
