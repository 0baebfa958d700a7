package dev.coord.server.it.chaos;

import java.util.ArrayList;
import java.util.List;

/** One server process of a slot: the slot's first process or one of its replacements. */
final class Incarnation {
    final int slot;
    final int number;
    final RawServer server;
    /** The number of slots of the phase it ran in; 0 in crash trials, -1 for the final start. */
    final int phase;

    volatile String instanceId;
    /** The worktree it runs in. */
    volatile java.nio.file.Path worktree;
    /** Witness time its {@code register_instance} answered, or -1. */
    volatile long registeredAt = -1;
    /** Witness time of the SIGKILL, or -1. */
    volatile long killedAt = -1;

    /** Witness time the current pause began, or -1 when the process runs. */
    volatile long pausedSince = -1;

    private final List<long[]> pauses = new ArrayList<>();

    Incarnation(int slot, int number, RawServer server, int phase) {
        this.slot = slot;
        this.phase = phase;
        this.number = number;
        this.server = server;
    }

    synchronized void paused(long from, long to) {
        pauses.add(new long[] {from, to});
    }

    synchronized List<long[]> pauses() {
        return List.copyOf(pauses);
    }

    /** Whether this process was stopped at some moment between {@code from} and {@code to}. */
    boolean pausedDuring(long from, long to) {
        long since = pausedSince;
        if (since >= 0 && since <= to) {
            return true;
        }
        for (long[] p : pauses()) {
            if (p[0] <= to && p[1] >= from) {
                return true;
            }
        }
        return false;
    }

    /** The end of what this process can believe: its kill, or {@code end}. */
    long believedUntil(long end) {
        long k = killedAt;
        return k >= 0 && k < end ? k : end;
    }

    @Override
    public String toString() {
        return "slot " + slot + "#" + number + " (pid " + (server == null ? -1 : server.pid) + ", " + instanceId + ")";
    }
}
