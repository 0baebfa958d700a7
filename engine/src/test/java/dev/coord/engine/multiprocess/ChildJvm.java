package dev.coord.engine.multiprocess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running a main class from the test class path, with its stdout read line by line (each line stamped
 * with {@link System#nanoTime()} of this JVM when it arrived) and its stderr kept for failure messages.
 *
 * <p>Close it (or call {@link #kill()}) in an {@code @AfterEach}: a child left behind outlives the build.
 */
public final class ChildJvm implements AutoCloseable {
    /** Flags that make a small child start fast and stay light on a machine with few cores. */
    public static final List<String> LIGHT_FLAGS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx96m", "-Xshare:auto");

    private static final int STDERR_KEEP = 16 * 1024;

    /**
     * One line of the child's stdout.
     *
     * @param text the line without its terminator
     * @param receivedNanos {@link System#nanoTime()} of this JVM when the line was read
     */
    public record Line(String text, long receivedNanos) {}

    private final String name;
    private final Process process;
    private final List<Line> lines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private boolean stdoutClosed;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread out = new Thread(() -> readStdout(process.getInputStream()), "child-" + name + "-stdout");
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(() -> readStderr(process.getErrorStream()), "child-" + name + "-stderr");
        err.setDaemon(true);
        err.start();
    }

    /**
     * Starts {@code mainClass} in a new JVM with the same java binary and the test class path.
     *
     * @param name a short name for thread names and messages
     * @param jvmFlags extra JVM flags (e.g. {@link #LIGHT_FLAGS}, {@code -Dkey=value})
     * @param args program arguments
     */
    public static ChildJvm start(String name, Class<?> mainClass, List<String> jvmFlags, List<String> args) {
        return start(name, mainClass, jvmFlags, args, Map.of(), null);
    }

    /** As {@link #start(String, Class, List, List)}, with extra environment variables and a working directory. */
    public static ChildJvm start(
            String name,
            Class<?> mainClass,
            List<String> jvmFlags,
            List<String> args,
            Map<String, String> env,
            Path workDir) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(testClassPath());
        command.add(mainClass.getName());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        try {
            return new ChildJvm(name, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** The java binary running this JVM. */
    public static String javaBinary() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The class path of the tests: surefire runs them from a manifest-only jar, and says the real one here. */
    public static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Writes one line (plus a newline) to the child's stdin and flushes it, e.g. one JSON-RPC message. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot write to stdin", e);
        }
    }

    /** Closes the child's stdin: it reads end of file. */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot close stdin", e);
        }
    }

    /** Every stdout line received so far. */
    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines received so far whose text matches. */
    public synchronized List<Line> lines(Predicate<String> match) {
        List<Line> out = new ArrayList<>();
        for (Line l : lines) {
            if (match.test(l.text())) {
                out.add(l);
            }
        }
        return out;
    }

    /** The last part of the child's stderr. */
    public synchronized String stderr() {
        return stderr.toString();
    }

    /**
     * The first stdout line (since the start) that matches, waiting for it up to {@code timeout}.
     *
     * @throws AssertionError if no such line comes in time or the child's stdout ends first
     */
    public Line awaitLine(Predicate<String> match, Duration timeout) {
        return awaitLines(match, 1, timeout).get(0);
    }

    /** The first {@code count} stdout lines (since the start) that match, waiting for them up to {@code timeout}. */
    public List<Line> awaitLines(Predicate<String> match, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                List<Line> found = new ArrayList<>();
                for (Line l : lines) {
                    if (match.test(l.text())) {
                        found.add(l);
                        if (found.size() == count) {
                            return found;
                        }
                    }
                }
                long left = deadline - System.nanoTime();
                if (stdoutClosed || left <= 0) {
                    throw new AssertionError(
                            name + ": " + (stdoutClosed ? "stdout ended" : "timed out after " + timeout) + " before "
                                    + count + " matching line(s); found " + found.size() + "\n" + describe());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(name + ": interrupted while waiting for a line", e);
                }
            }
        }
    }

    /**
     * Waits for the child to exit and for its stdout to be read to the end.
     *
     * @return the exit code
     * @throws AssertionError if it does not exit in time
     */
    public int awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError(name + ": still running after " + timeout + "\n" + describe());
            }
            synchronized (this) {
                while (!stdoutClosed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError(name + ": exited but its stdout stayed open\n" + describe());
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted while waiting for the exit", e);
        }
        return process.exitValue();
    }

    /** Kills the child with SIGKILL (on Linux) and its descendants, and waits until it is gone. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") did not die within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The child's state, last stdout lines and stderr, for failure messages. */
    public synchronized String describe() {
        StringBuilder b = new StringBuilder();
        b.append("--- ").append(name).append(" (pid ").append(pid()).append(") ");
        b.append(process.isAlive() ? "running" : "exited with " + process.exitValue());
        b.append(", ").append(lines.size()).append(" stdout line(s); last ones:\n");
        for (int i = Math.max(0, lines.size() - 15); i < lines.size(); i++) {
            b.append("  ").append(lines.get(i).text()).append('\n');
        }
        b.append("--- stderr:\n").append(stderr).append("--- end of ").append(name);
        return b.toString();
    }

    private void readStdout(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Line l = new Line(line, System.nanoTime());
                synchronized (this) {
                    lines.add(l);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The stream closes when the child dies.
        } finally {
            synchronized (this) {
                stdoutClosed = true;
                notifyAll();
            }
        }
    }

    private void readStderr(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (this) {
                    stderr.append(line).append('\n');
                    if (stderr.length() > STDERR_KEEP) {
                        stderr.delete(0, stderr.length() - STDERR_KEEP);
                    }
                }
            }
        } catch (IOException e) {
            // The stream closes when the child dies.
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + pid() + ")";
    }
}
