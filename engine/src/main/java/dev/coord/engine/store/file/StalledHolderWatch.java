package dev.coord.engine.store.file;

import dev.coord.engine.liveness.ProcState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one wait for the OS lock of a {@link FileMutex} and keeps a stopped holder from stalling it.
 *
 * <p>Every {@link #LOOK_EVERY_MS} ms of waiting it finds the holder in {@code /proc/locks} (the line of the lock that
 * blocks this process's own waiting request) and reads its state. A holder stopped by a signal ({@code T}: SIGSTOP,
 * or a terminal's Ctrl-Z that stopped Claude Code and its children) is resumed with SIGCONT: only a running holder
 * ends its transaction and frees the mutex, and the kernel gives the lock to nobody else while the holder lives. A
 * holder that coord cannot resume (stopped under a debugger, {@code t}; frozen by a cgroup freezer; not ours to
 * signal) makes the wait give up after {@link #GIVE_UP_MS} ms with the reason: the channel is closed, the blocked
 * {@code fcntl} returns, and the call fails with {@code STORE_UNAVAILABLE} instead of waiting without bound. Safety
 * is untouched either way: nobody enters the critical section while the holder has it.
 */
final class StalledHolderWatch implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StalledHolderWatch.class);
    static final long LOOK_EVERY_MS = 150;
    static final long GIVE_UP_MS = 1_000;
    private static final Path PROC_LOCKS = Path.of("/proc/locks");
    private static final boolean HAS_PROC = Files.isReadable(PROC_LOCKS);
    private static final long SELF = ProcessHandle.current().pid();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coord-mutex-watch");
        t.setDaemon(true);
        return t;
    });

    private final Path file;
    private final FileChannel channel;
    private final long startNanos = System.nanoTime();
    private ScheduledFuture<?> task;
    private boolean done;
    private String gaveUp;
    private long unresumableSinceNanos = -1;

    private StalledHolderWatch(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Starts watching a wait on {@code channel}; null where there is no {@code /proc/locks}. */
    static StalledHolderWatch start(Path file, FileChannel channel) {
        if (!HAS_PROC) {
            return null;
        }
        StalledHolderWatch w = new StalledHolderWatch(file, channel);
        synchronized (w) {
            w.task = TIMER.scheduleWithFixedDelay(w, LOOK_EVERY_MS, LOOK_EVERY_MS, TimeUnit.MILLISECONDS);
        }
        return w;
    }

    /** Ends the watch. Returns why it gave up (it closed the channel: any lock obtained is void), or null. */
    synchronized String stop() {
        done = true;
        task.cancel(false);
        return gaveUp;
    }

    @Override
    public void run() {
        try {
            look();
        } catch (RuntimeException e) {
            LOG.debug("looking for the holder of {}: {}", file, e.toString());
        }
    }

    private void look() {
        synchronized (this) {
            if (done) {
                return;
            }
        }
        long holder = holderOfOurWait(readLocks());
        if (holder <= 0) {
            unresumableSinceNanos = -1;
            return;
        }
        char state = ProcState.of(holder).orElse('?');
        String unresumable = null;
        if (state == 'T') {
            if (resume(holder)) {
                LOG.warn("resumed process {}: it was stopped while holding {}", holder, file.getFileName());
                unresumableSinceNanos = -1;
                return;
            }
            unresumable = "stopped, and coord may not resume it";
        } else if (state == 't') {
            unresumable = "stopped under a debugger";
        } else if (frozen(holder)) {
            unresumable = "frozen by its cgroup";
        }
        if (unresumable == null) {
            unresumableSinceNanos = -1;
            return;
        }
        long now = System.nanoTime();
        if (unresumableSinceNanos < 0) {
            unresumableSinceNanos = now;
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(now - startNanos);
        if (waitedMs < GIVE_UP_MS) {
            return;
        }
        synchronized (this) {
            if (done) {
                return;
            }
            gaveUp = "the store's mutex " + file + " is held by process " + holder + ", which is " + unresumable
                    + "; gave up after " + waitedMs + " ms instead of waiting for it. Resume or end that process,"
                    + " then retry";
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", file, e.toString());
            }
        }
    }

    private static List<String> readLocks() {
        try {
            return Files.readAllLines(PROC_LOCKS, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The pid holding the POSIX lock that this process waits for, from {@code /proc/locks}: this process's blocked
     * request ({@code ->}) names the device and inode; the holder is the granted lock on the same inode. Returns 0
     * when unknown (not blocked yet, or the holder is in another pid namespace).
     */
    static long holderOfOurWait(List<String> lines) {
        return holderOf(lines, SELF);
    }

    static long holderOf(List<String> lines, long waiter) {
        String inode = null;
        for (String line : lines) {
            String[] f = fields(line);
            if (f.length >= 7 && f[1].equals("->") && f[2].equals("POSIX") && parsePid(f[5]) == waiter) {
                inode = f[6];
                break;
            }
        }
        if (inode == null) {
            return 0;
        }
        for (String line : lines) {
            String[] f = fields(line);
            if (f.length >= 6 && f[1].equals("POSIX") && f[5].equals(inode)) {
                return Math.max(0, parsePid(f[4]));
            }
        }
        return 0;
    }

    private static String[] fields(String line) {
        return line.trim().split("\\s+");
    }

    private static long parsePid(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean resume(long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-CONT", Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True if the process's cgroup is frozen (cgroup v2 {@code cgroup.events}, or the v1 freezer). */
    static boolean frozen(long pid) {
        List<String> groups;
        try {
            groups = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return false;
        }
        for (String g : groups) {
            String[] parts = g.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                for (String root : List.of("/sys/fs/cgroup", "/sys/fs/cgroup/unified")) {
                    Optional<String> events = read(Path.of(root + parts[2], "cgroup.events"));
                    if (events.isPresent()
                            && events.get().lines().anyMatch(l -> l.trim().equals("frozen 1"))) {
                        return true;
                    }
                }
            } else if (List.of(parts[1].split(",")).contains("freezer")) {
                Optional<String> state = read(Path.of("/sys/fs/cgroup/freezer" + parts[2], "freezer.state"));
                if (state.isPresent() && !state.get().trim().equals("THAWED")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
