package dev.coord.server.it.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The independent witness: what each driver believes it holds, written in the driver, outside the servers. A lock is
 * entered when its grant has arrived and left just before its release is sent; a mission is entered when its claim
 * has arrived and left just before its finish is sent. Times are epoch microseconds from the wall clock, the clock
 * the servers stamp their audit events with, so the two compare without drift.
 */
final class Ledger {
    /** Epoch microseconds from the wall clock the servers use too (same machine), so no drift between the two. */
    static long now() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    enum Answer {
        /** The server accepted the release or finish. */
        ACCEPTED,
        /** The server refused it (not held, lock lost, mission held by another). */
        REJECTED,
        /** The process died before answering. */
        NO_ANSWER
    }

    /** One lock as its holder saw it. */
    static final class Hold {
        final Incarnation who;
        final String path;
        final String mode;
        /** The fencing token; for an edit claim read from the audit log's {@code claim} event by the verdict. */
        volatile long token;
        /** An automatic edit claim taken by the {@code hook} tool (exclusive), not an {@code acquire_lock}. */
        volatile boolean edit;

        final long requestedAt;
        final long grantedAt;
        final long expiresAt;
        volatile long endAt = Long.MAX_VALUE;
        volatile Answer answer = Answer.NO_ANSWER;
        volatile String answerCode = "";
        /** A {@code status} call made while holding, sent at {@code statusSentAt}, said the path was the caller's. */
        volatile boolean statusYours;

        volatile long statusSentAt;

        Hold(Incarnation who, String path, String mode, long token, long requestedAt, long grantedAt, long expiresAt) {
            this.who = who;
            this.path = path;
            this.mode = mode;
            this.token = token;
            this.requestedAt = requestedAt;
            this.grantedAt = grantedAt;
            this.expiresAt = expiresAt;
        }

        long believedUntil() {
            return who.believedUntil(endAt);
        }

        @Override
        public String toString() {
            return path + " " + mode + " token " + token + " by " + who + " [" + grantedAt + ", " + believedUntil()
                    + "] release " + answer + " " + answerCode;
        }
    }

    /** One mission claim as its claimer saw it. */
    static final class Claim {
        final Incarnation who;
        final String missionId;
        final long claimedAt;
        final boolean takeover;
        volatile long endAt = Long.MAX_VALUE;
        volatile String outcome = "";
        volatile Answer answer = Answer.NO_ANSWER;
        volatile String answerCode = "";

        Claim(Incarnation who, String missionId, long claimedAt, boolean takeover) {
            this.who = who;
            this.missionId = missionId;
            this.claimedAt = claimedAt;
            this.takeover = takeover;
        }

        long believedUntil() {
            return who.believedUntil(endAt);
        }

        @Override
        public String toString() {
            return missionId + " by " + who + " [" + claimedAt + ", " + believedUntil() + "] " + outcome + " " + answer
                    + (takeover ? " (takeover)" : "");
        }
    }

    final List<Hold> holds = new ArrayList<>();
    final List<Claim> claims = new ArrayList<>();
    final List<Incarnation> incarnations = new ArrayList<>();
    /** Decision ids acknowledged to a driver, with how often each was acknowledged. */
    final Map<String, AtomicInteger> decisions = new ConcurrentHashMap<>();
    /** Every mission id ever put in the queue. */
    final List<String> missionsCreated = new ArrayList<>();
    /** Missions whose {@code done} finish was acknowledged. */
    final List<String> missionsDone = new ArrayList<>();

    final AtomicLong calls = new AtomicLong();
    /** Calls on a running server that took longer than the stale timeout: {start, end}. */
    final List<long[]> stalls = new ArrayList<>();

    final AtomicLong acquireCalls = new AtomicLong();
    final AtomicLong contended = new AtomicLong();
    final AtomicLong editCalls = new AtomicLong();
    /** PreToolUse edits answered with a deny (another holder), or that took no claim. */
    final AtomicLong editDenied = new AtomicLong();

    final AtomicLong claimCalls = new AtomicLong();
    final AtomicLong kills = new AtomicLong();
    final AtomicLong pauses = new AtomicLong();
    final AtomicLong pausesLongerThanLease = new AtomicLong();
    /** Pauses a peer ended early by resuming the process, stopped inside the mutex, with SIGCONT. */
    final AtomicLong pausesEndedByPeer = new AtomicLong();

    final AtomicLong replacements = new AtomicLong();
    final Map<String, AtomicInteger> unexpected = new ConcurrentHashMap<>();
    /** The git side: the sessions' git, radar.json over time, the Bash guard's answers. */
    final GitLedger git = new GitLedger();

    synchronized void stall(long from, long to) {
        stalls.add(new long[] {from, to});
    }

    synchronized List<long[]> stalls() {
        return List.copyOf(stalls);
    }

    synchronized void add(Hold h) {
        holds.add(h);
    }

    synchronized void add(Claim c) {
        claims.add(c);
    }

    synchronized void add(Incarnation i) {
        incarnations.add(i);
    }

    synchronized void missionCreated(String id) {
        missionsCreated.add(id);
    }

    synchronized void missionDone(String id) {
        missionsDone.add(id);
    }

    /** A message acknowledged to a driver: when, and how often its id was acknowledged. */
    record Sent(java.time.Instant ackedAt, AtomicInteger acks) {}

    /** Message ids acknowledged to a driver. */
    final Map<String, Sent> messages = new ConcurrentHashMap<>();
    /** Per recipient and message id, how often read_messages gave it to that recipient as unread. */
    final Map<String, AtomicInteger> unreadSeen = new ConcurrentHashMap<>();

    void message(String id) {
        messages.computeIfAbsent(id, k -> new Sent(java.time.Instant.now(), new AtomicInteger()))
                .acks()
                .incrementAndGet();
    }

    void readUnread(String recipient, String id) {
        unreadSeen
                .computeIfAbsent(recipient + " " + id, k -> new AtomicInteger())
                .incrementAndGet();
    }

    void decision(String id) {
        decisions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Something a correct server should not do but that is not a safety property (an error answer, a timeout). */
    void unexpected(String what) {
        String key = what.length() > 160 ? what.substring(0, 160) : what;
        unexpected.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    synchronized List<Hold> holds() {
        return List.copyOf(holds);
    }

    synchronized List<Claim> claims() {
        return List.copyOf(claims);
    }

    synchronized List<Incarnation> incarnations() {
        return List.copyOf(incarnations);
    }
}
