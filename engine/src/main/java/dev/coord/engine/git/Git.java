package dev.coord.engine.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs git. Every command runs with {@code GIT_OPTIONAL_LOCKS=0} (a {@code git status} in another session's worktree
 * must never take its index lock), without a terminal prompt, with a time limit and a cap on the output it keeps.
 */
public final class Git {
    /** Output kept per command; the rest is read and dropped, and the result says it was cut. */
    static final int MAX_OUTPUT = 8 * 1024 * 1024;

    private final String executable;
    private final Duration timeout;

    public Git() {
        this("git", Duration.ofSeconds(30));
    }

    public Git(String executable, Duration timeout) {
        this.executable = Objects.requireNonNull(executable, "executable");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** What a git command printed and how it ended. */
    public record Result(int exit, String out, boolean cut) {
        public boolean ok() {
            return exit == 0;
        }

        /** The output split at NUL bytes ({@code -z}), without empty entries. */
        public List<String> zList() {
            List<String> list = new ArrayList<>();
            for (String s : out.split("\0")) {
                if (!s.isEmpty()) {
                    list.add(s);
                }
            }
            return list;
        }
    }

    /**
     * Runs {@code git args...} in {@code dir}.
     *
     * @throws IOException when git cannot be started or does not finish in time (it is killed then)
     */
    public Result run(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        // read on a thread of its own, so that the time limit holds even when git hangs with its output open
        CompletableFuture<Output> output = new CompletableFuture<>();
        Thread reader = new Thread(() -> output.complete(read(p.getInputStream())), "coord-git-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new IOException(
                        "git " + String.join(" ", args) + " took longer than " + timeout.toSeconds() + " s in " + dir);
            }
            // a child git left behind could keep the output open: a short grace, then it goes too
            Output out = output.get(Math.max(1_000, timeout.toMillis() / 10), TimeUnit.MILLISECONDS);
            if (out.failure() != null) {
                throw out.failure();
            }
            return new Result(p.exitValue(), out.text(), out.cut());
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git in " + dir, e);
        } catch (ExecutionException | TimeoutException e) {
            kill(p);
            throw new IOException("git " + String.join(" ", args) + " in " + dir + " left its output open", e);
        }
    }

    private record Output(String text, boolean cut, IOException failure) {}

    private static Output read(InputStream stream) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean cut = false;
        try (InputStream in = stream) {
            byte[] chunk = new byte[65536];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                int keep = Math.min(n, MAX_OUTPUT - buf.size());
                if (keep > 0) {
                    buf.write(chunk, 0, keep);
                }
                if (keep < n) {
                    cut = true;
                }
            }
        } catch (IOException e) {
            return new Output("", false, e);
        }
        return new Output(buf.toString(StandardCharsets.UTF_8), cut, null);
    }

    /** Kills git and whatever it started, so that nothing of a run that took too long is left behind. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** The installed git's version. */
    public GitVersion version(Path dir) throws IOException {
        Result r = run(dir, "--version");
        if (!r.ok()) {
            throw new IOException("git --version exited with " + r.exit());
        }
        return GitVersion.parse(r.out());
    }
}
