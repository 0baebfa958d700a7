package dev.coord.engine.multiprocess;

import dev.coord.engine.liveness.ProcState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checks mutual exclusion independently of coord, with operations the kernel makes atomic: one directory per hot
 * path; an exclusive holder creates {@code excl} with {@code O_CREAT|O_EXCL} and then looks for {@code shared-*}
 * files; a shared holder creates {@code shared-<pid>-<n>} and then looks for {@code excl}. Both sides create before
 * they check, so of two holders that overlap, at least one sees the other.
 *
 * <p>{@code excl} carries its creator's pid and start time. Only when its creator is provably dead (killed while
 * holding) is it a leftover rather than a live holder; it is then moved away atomically and reported as stale.
 */
final class Witness {
    static final String EXCL = "excl";
    static final String SHARED_PREFIX = "shared-";

    private final Path root;
    private final long pid;
    private final Instant start;
    private final Consumer<String> violation;
    private final Consumer<String> stale;
    private long sharedSeq;

    /**
     * @param root directory holding one sub-directory per hot path
     * @param violation told one line per violation seen
     * @param stale told one line per leftover {@code excl} of a dead process
     */
    Witness(Path root, Consumer<String> violation, Consumer<String> stale) {
        this.root = root;
        ProcessHandle self = ProcessHandle.current();
        this.pid = self.pid();
        this.start = self.info().startInstant().orElse(null);
        this.violation = violation;
        this.stale = stale;
    }

    /** The witness directory of a hot path (lock keys may contain {@code /}). */
    Path dirOf(String path) throws IOException {
        Path dir = root.resolve(path.replace('/', '_'));
        Files.createDirectories(dir);
        return dir;
    }

    /** Enters as an exclusive holder; returns the handle to leave with. */
    Runnable enterExclusive(String path, long token) throws IOException {
        Path dir = dirOf(path);
        Path excl = dir.resolve(EXCL);
        boolean mine = createExcl(excl, token);
        if (!mine) {
            Optional<String> owner = liveOwner(excl);
            if (owner.isPresent()) {
                violation.accept("exclusive " + path + " token " + token + " by pid " + pid + ": excl exists, held by "
                        + owner.get());
            } else if (moveAwayStale(excl, path)) {
                mine = createExcl(excl, token);
                if (!mine) {
                    violation.accept("exclusive " + path + " token " + token + " by pid " + pid
                            + ": excl re-created by someone else after a stale one was moved away");
                }
            }
        }
        List<String> shared = sharedIn(dir);
        if (!shared.isEmpty()) {
            violation.accept(
                    "exclusive " + path + " token " + token + " by pid " + pid + ": shared holders present " + shared);
        }
        boolean created = mine;
        return () -> {
            if (!created) {
                return;
            }
            try {
                Files.delete(excl);
            } catch (NoSuchFileException e) {
                violation.accept("exclusive " + path + " token " + token + " by pid " + pid + ": excl vanished");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** Enters as a shared holder; returns the handle to leave with and how many shared holders it saw (itself too). */
    SharedEntry enterShared(String path, long token) throws IOException {
        Path dir = dirOf(path);
        Path mineFile = dir.resolve(SHARED_PREFIX + pid + "-" + (++sharedSeq));
        Files.createFile(mineFile);
        Path excl = dir.resolve(EXCL);
        if (Files.exists(excl)) {
            Optional<String> owner = liveOwner(excl);
            if (owner.isPresent()) {
                violation.accept("shared " + path + " token " + token + " by pid " + pid + ": excl exists, held by "
                        + owner.get());
            } else {
                stale.accept(path + " excl of a dead process seen by a shared holder");
            }
        }
        int seen = sharedIn(dir).size();
        return new SharedEntry(
                () -> {
                    try {
                        Files.delete(mineFile);
                    } catch (IOException e) {
                        violation.accept(
                                "shared " + path + " token " + token + " by pid " + pid + ": own file vanished: " + e);
                    }
                },
                seen);
    }

    record SharedEntry(Runnable leave, int sharedSeen) {}

    private boolean createExcl(Path excl, long token) throws IOException {
        byte[] who = (pid + " " + (start == null ? "-" : start.toString()) + " " + token + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(excl, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(who));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Who holds {@code excl}, unless its creator is provably dead. An unreadable or empty file counts as a live
     * holder that has not written its name yet.
     */
    private static Optional<String> liveOwner(Path excl) {
        String text;
        try {
            text = Files.readString(excl, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return Optional.of("a holder that left meanwhile");
        } catch (IOException e) {
            return Optional.of("an unreadable excl (" + e + ")");
        }
        String[] parts = text.split(" ");
        if (parts.length < 3) {
            return Optional.of("a holder still writing excl ('" + text + "')");
        }
        long ownerPid = Long.parseLong(parts[0]);
        Instant ownerStart = parts[1].equals("-") ? null : Instant.parse(parts[1]);
        Optional<ProcessHandle> h = ProcessHandle.of(ownerPid);
        boolean alive = h.isPresent()
                && h.get().isAlive()
                && !ProcState.exited(
                        ownerPid) // a SIGKILLed holder not yet reaped is a zombie: dead, as coord judges it
                && (ownerStart == null
                        || h.get()
                                .info()
                                .startInstant()
                                .map(a -> Math.abs(a.getEpochSecond() - ownerStart.getEpochSecond()) <= 1)
                                .orElse(true));
        return alive ? Optional.of("pid " + ownerPid + " token " + parts[2]) : Optional.empty();
    }

    /** Moves a dead holder's {@code excl} aside; the moved file is checked again, in case it was a new one. */
    private boolean moveAwayStale(Path excl, String path) throws IOException {
        Path aside = excl.resolveSibling("dead-" + pid + "-" + System.nanoTime());
        try {
            Files.move(excl, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return true;
        }
        Optional<String> owner = liveOwner(aside);
        if (owner.isPresent()) {
            violation.accept(path + ": moved away an excl it judged stale, but it belongs to live " + owner.get());
            return false;
        }
        stale.accept(path + " excl left by dead process: "
                + Files.readString(aside, StandardCharsets.US_ASCII).trim());
        return true;
    }

    private static List<String> sharedIn(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, SHARED_PREFIX + "*")) {
            ds.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }
}
