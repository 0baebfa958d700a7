package dev.coord.server.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaos witness's judgement on made-up histories: it must see what it exists to see. */
class VerdictTest {
    static final Duration TTL = Duration.ofSeconds(10);
    static final long T0 = 1_800_000_000_000_000L;

    @TempDir
    Path dir;

    Path state;
    Path missions;
    Ledger ledger = new Ledger();
    Incarnation a = new Incarnation(0, 1, null, 2);
    Incarnation b = new Incarnation(1, 2, null, 2);

    @BeforeEach
    void setUp() throws Exception {
        state = Files.createDirectories(dir.resolve("state"));
        missions = dir.resolve("missions");
        for (String f : List.of("queue", "active", "done")) {
            Files.createDirectories(missions.resolve(f));
        }
        a.instanceId = "claude-a";
        b.instanceId = "claude-b";
        Files.writeString(state.resolve("audit.jsonl"), "");
    }

    private Ledger.Hold hold(
            Incarnation who, String path, String mode, long token, long from, long to, Ledger.Answer answer) {
        Ledger.Hold h = new Ledger.Hold(who, path, mode, token, from - 1000, from, from + TTL.toMillis() * 1000);
        h.endAt = to;
        h.answer = answer;
        ledger.add(h);
        return h;
    }

    private void audit(String event, String instance, long token, long at) throws Exception {
        Instant i = Instant.ofEpochSecond(at / 1_000_000, (at % 1_000_000) * 1000);
        Files.writeString(
                state.resolve("audit.jsonl"),
                "{\"schemaVersion\":1,\"at\":\"" + i + "\",\"event\":\"" + event + "\",\"instance\":\"" + instance
                        + "\",\"token\":" + token + "}\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** An edit claim as the driver records it: its token is unknown until the verdict reads the audit log. */
    private Ledger.Hold editClaim(Incarnation who, String path, long from, long to, Ledger.Answer answer) {
        Ledger.Hold h = hold(who, path, "exclusive", 0, from, to, answer);
        h.edit = true;
        return h;
    }

    private void auditClaim(String instance, String path, long token, long at) throws Exception {
        Instant i = Instant.ofEpochSecond(at / 1_000_000, (at % 1_000_000) * 1000);
        Files.writeString(
                state.resolve("audit.jsonl"),
                "{\"schemaVersion\":1,\"at\":\"" + i + "\",\"event\":\"claim\",\"instance\":\"" + instance
                        + "\",\"path\":\"" + path + "\",\"token\":" + token + "}\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void anEditClaimOverlappingAnotherHoldersLockIsAViolation() throws Exception {
        auditClaim("claude-a", "hot/a.txt", 5, T0 - 500);
        Ledger.Hold claim = editClaim(a, "hot/a.txt", T0, T0 + 500_000, Ledger.Answer.ACCEPTED);
        hold(b, "hot/", "exclusive", 6, T0 + 100_000, T0 + 200_000, Ledger.Answer.ACCEPTED);
        Verdict v = verdict();
        assertThat(claim.token).isEqualTo(5);
        assertThat(v.count("edit claims with no claim event in the audit log")).isZero();
        assertThat(v.count("violations (overlap with no takeover recorded)")).isEqualTo(1);
        assertThat(v.count("  violations involving an edit claim (conflicting holders)"))
                .isEqualTo(1);
    }

    @Test
    void twoEditClaimsOnOneFileConflictButAClaimAndASeparateFileDoNot() throws Exception {
        auditClaim("claude-a", "hot/a.txt", 1, T0 - 500);
        auditClaim("claude-b", "hot/a.txt", 2, T0 + 99_000);
        auditClaim("claude-b", "hot/b.txt", 3, T0 + 99_000);
        editClaim(a, "hot/a.txt", T0, T0 + 500_000, Ledger.Answer.ACCEPTED);
        editClaim(b, "hot/a.txt", T0 + 100_000, T0 + 200_000, Ledger.Answer.ACCEPTED);
        editClaim(b, "hot/b.txt", T0 + 100_000, T0 + 200_000, Ledger.Answer.ACCEPTED);
        Verdict v = verdict();
        assertThat(v.count("  conflicting overlaps involving an edit claim")).isEqualTo(1);
        assertThat(v.count("  violations involving an edit claim (conflicting holders)"))
                .isEqualTo(1);
    }

    @Test
    void anEditClaimTheAuditLogDoesNotKnowIsCounted() {
        editClaim(a, "hot/a.txt", T0, T0 + 500_000, Ledger.Answer.ACCEPTED);
        assertThat(verdict().count("edit claims with no claim event in the audit log"))
                .isEqualTo(1);
    }

    @Test
    void aKilledHoldersEditClaimTakeoverIsTimedApartFromItsLocks() throws Exception {
        a.killedAt = T0 + 50_000;
        ledger.add(a);
        ledger.add(b);
        auditClaim("claude-a", "hot/a.txt", 1, T0 - 500);
        audit("void", "claude-a", 1, T0 + 3_000_000);
        auditClaim("claude-b", "hot/a.txt", 3, T0 + 3_099_000);
        editClaim(a, "hot/a.txt", T0, Long.MAX_VALUE, Ledger.Answer.NO_ANSWER);
        hold(a, "cold/c.txt", "exclusive", 2, T0, Long.MAX_VALUE, Ledger.Answer.NO_ANSWER);
        editClaim(b, "hot/a.txt", T0 + 3_100_000, T0 + 3_200_000, Ledger.Answer.ACCEPTED);
        hold(b, "cold/c.txt", "exclusive", 4, T0 + 5_050_000, T0 + 5_200_000, Ledger.Answer.ACCEPTED);
        Verdict v = verdict();
        assertThat(v.claimKillTakeoverMillis).containsExactly(3050L);
        assertThat(v.killTakeoverMillis).containsExactly(5000L);
        assertThat(v.count("violations (overlap with no takeover recorded)")).isZero();
    }

    private Verdict verdict() {
        return Verdict.of(ledger, state, missions, TTL);
    }

    @Test
    void anOverlapWithoutATakeoverIsAViolation() {
        hold(a, "hot/", "exclusive", 1, T0, T0 + 500_000, Ledger.Answer.ACCEPTED);
        hold(b, "hot/a.txt", "exclusive", 2, T0 + 100_000, T0 + 200_000, Ledger.Answer.ACCEPTED);
        assertThat(verdict().count("violations (overlap with no takeover recorded)"))
                .isEqualTo(1);
    }

    @Test
    void sharedHoldersDoNotConflictAndSeparateKeysDoNotOverlap() {
        hold(a, "hot/a.txt", "shared", 1, T0, T0 + 500_000, Ledger.Answer.ACCEPTED);
        hold(b, "hot/", "shared", 2, T0 + 100_000, T0 + 200_000, Ledger.Answer.ACCEPTED);
        hold(b, "hot/b.txt", "exclusive", 3, T0 + 100_000, T0 + 200_000, Ledger.Answer.ACCEPTED);
        hold(b, "cold/c.txt", "exclusive", 4, T0 + 100_000, T0 + 200_000, Ledger.Answer.ACCEPTED);
        Verdict v = verdict();
        assertThat(v.count("conflicting overlaps seen by the witness (pairs of holders)"))
                .isZero();
        assertThat(v.count("critical sections (grants)")).isEqualTo(4);
    }

    @Test
    void aKilledHolderBelievesNothingAfterItsKill() {
        a.killedAt = T0 + 50_000;
        hold(a, "hot/a.txt", "exclusive", 1, T0, T0 + 500_000, Ledger.Answer.NO_ANSWER);
        hold(b, "hot/a.txt", "exclusive", 2, T0 + 100_000, T0 + 200_000, Ledger.Answer.ACCEPTED);
        assertThat(verdict().count("conflicting overlaps seen by the witness (pairs of holders)"))
                .isZero();
    }

    @Test
    void aTakeoverIsNoViolationButTheOldHoldersReleaseMustBeRefused() throws Exception {
        a.paused(T0 + 10_000, T0 + 11_000_000);
        audit("void", "claude-a", 1, T0 + 4_000_000);
        // the holder's status call during the hold waited out the pause, then said the lock was still its own
        Ledger.Hold stale = hold(a, "hot/a.txt", "exclusive", 1, T0, T0 + 11_100_000, Ledger.Answer.ACCEPTED);
        stale.statusYours = true;
        stale.statusSentAt = T0 + 4_500_000;
        hold(b, "hot/a.txt", "exclusive", 2, T0 + 4_100_000, T0 + 4_200_000, Ledger.Answer.ACCEPTED);
        Verdict v = verdict();
        assertThat(v.count("violations (overlap with no takeover recorded)")).isZero();
        assertThat(v.count("  of which from a SIGSTOPped holder")).isEqualTo(1);
        // status said yours after the takeover and after a pause longer than the lease; the release was accepted
        // after the takeover and after that pause: four stale operations accepted
        assertThat(v.count("stale-token operations accepted")).isEqualTo(4);
        assertThat(v.count("releases sent by a holder stopped longer than the lease"))
                .isEqualTo(1);
    }

    @Test
    void aRefusedStaleReleaseIsCountedAsRefused() throws Exception {
        a.paused(T0 + 10_000, T0 + 11_000_000);
        audit("void", "claude-a", 1, T0 + 4_000_000);
        Ledger.Hold h = hold(a, "hot/a.txt", "exclusive", 1, T0, T0 + 11_100_000, Ledger.Answer.REJECTED);
        h.answerCode = "LOCK_LOST";
        hold(b, "hot/a.txt", "exclusive", 2, T0 + 4_100_000, T0 + 4_200_000, Ledger.Answer.ACCEPTED);
        Verdict v = verdict();
        assertThat(v.count("stale-token operations accepted")).isZero();
        assertThat(v.count("  refused with LOCK_LOST")).isEqualTo(1);
    }

    @Test
    void aRefusedReleaseWithoutACauseOnRecordIsALostLock() throws Exception {
        Ledger.Hold lost = hold(a, "hot/a.txt", "exclusive", 1, T0, T0 + 20_000, Ledger.Answer.REJECTED);
        lost.answerCode = "NOT_HELD";
        Ledger.Hold expired = hold(a, "hot/b.txt", "exclusive", 2, T0, T0 + 20_000, Ledger.Answer.REJECTED);
        expired.answerCode = "LOCK_LOST";
        audit("expire", "claude-a", 2, T0 + 10_000);
        assertThat(verdict()
                        .count("releases refused with no void, expire or force on record (a lock lost with no cause)"))
                .isEqualTo(1);
    }

    @Test
    void aLockEndedByTheServerOnlyAfterTheSecondGrantIsAViolation() throws Exception {
        audit("expire", "claude-a", 1, T0 + 300_000);
        hold(a, "hot/a.txt", "exclusive", 1, T0, T0 + 500_000, Ledger.Answer.REJECTED);
        hold(b, "hot/a.txt", "exclusive", 2, T0 + 100_000, T0 + 200_000, Ledger.Answer.ACCEPTED);
        assertThat(verdict().count("violations (overlap with no takeover recorded)"))
                .isEqualTo(1);
    }

    @Test
    void twoLiveWinnersOfAMissionAndLostMissionsAreCounted() throws Exception {
        ledger.add(claim(a, "m1", T0, T0 + 500_000, false));
        ledger.add(claim(b, "m1", T0 + 100_000, T0 + 200_000, false));
        ledger.missionCreated("m1");
        ledger.missionCreated("m2");
        ledger.missionCreated("m3");
        Files.writeString(missions.resolve("queue/m1.md"), "x");
        Files.writeString(missions.resolve("queue/m3.md"), "x");
        Files.writeString(missions.resolve("done/m3.md"), "x");
        Verdict v = verdict();
        assertThat(v.count("missions claimed twice (two live winners)")).isEqualTo(1);
        assertThat(v.count("missions lost (in no folder, or done but not in done/)"))
                .isEqualTo(1);
        assertThat(v.count("missions in two folders")).isEqualTo(1);
    }

    @Test
    void aTakeoverOfADeadClaimersMissionIsNoDoubleClaimButItsLateFinishMustFail() throws Exception {
        audit("reap", "claude-a", 0, T0 + 4_000_000);
        Ledger.Claim old = claim(a, "m1", T0, T0 + 11_000_000, false);
        old.answer = Ledger.Answer.ACCEPTED;
        ledger.add(old);
        ledger.add(claim(b, "m1", T0 + 4_100_000, T0 + 4_200_000, true));
        Verdict v = verdict();
        assertThat(v.count("missions claimed twice (two live winners)")).isZero();
        assertThat(v.count("stale-token operations accepted")).isEqualTo(1);
    }

    @Test
    void aFinishRefusedIsExplainedOnlyByATakeoverOfThatClaim() throws Exception {
        // the finish was sent at once, into a server stopped just then; the mission was taken over meanwhile
        Ledger.Claim explained = claim(a, "m1", T0, T0 + 10_000, false);
        explained.answer = Ledger.Answer.REJECTED;
        ledger.add(explained);
        Files.writeString(
                state.resolve("audit.jsonl"),
                "{\"schemaVersion\":1,\"at\":\"" + Instant.ofEpochSecond(T0 / 1_000_000 + 5)
                        + "\",\"event\":\"mission_takeover\",\"instance\":\"claude-b\","
                        + "\"details\":{\"mission\":\"m1\",\"from\":\"claude-a\"}}\n");
        assertThat(verdict().count("finishes refused without a takeover (a claim lost with no cause)"))
                .isZero();
        // a refusal of another claimer's finish, or of another mission's, is not explained by it
        Ledger.Claim unexplained = claim(b, "m2", T0, T0 + 10_000, false);
        unexplained.answer = Ledger.Answer.REJECTED;
        ledger.add(unexplained);
        assertThat(verdict().count("finishes refused without a takeover (a claim lost with no cause)"))
                .isEqualTo(1);
    }

    @Test
    void decisionsLostOrDuplicated() throws Exception {
        ledger.decision("DEC-1");
        ledger.decision("DEC-2");
        Files.writeString(
                state.resolve("decisions.jsonl"), "{\"id\":\"DEC-1\"}\n{\"id\":\"DEC-3\"}\n{\"id\":\"DEC-3\"}\n");
        Verdict v = verdict();
        assertThat(v.count("decisions lost")).isEqualTo(1);
        assertThat(v.count("decisions duplicated (an id twice in the log or acknowledged twice)"))
                .isEqualTo(1);
    }

    @Test
    void messagesLostDuplicatedOrReadTwice() throws Exception {
        ledger.message("msg-20261121-00000001");
        ledger.message("msg-20261121-00000002");
        ledger.message("msg-20261121-00000004");
        ledger.message("msg-20261121-00000004");
        String line = "{\"id\":\"%s\",\"at\":\"%s\",\"body\":\"chaos message %s\"}\n";
        String at = java.time.Instant.now().minusSeconds(60).toString();
        Files.writeString(
                state.resolve("messages.jsonl"),
                "{\"schemaVersion\":1,\"generation\":\"g\"}\n"
                        + line.formatted("msg-20261121-00000001", at, "n1")
                        + line.formatted("msg-20261121-00000003", at, "n1")
                        + line.formatted("msg-20261121-00000004", at, "n4"));
        ledger.readUnread("claude-a", "msg-20261121-00000001");
        ledger.readUnread("claude-a", "msg-20261121-00000001");
        ledger.readUnread("claude-b", "msg-20261121-00000001");
        Verdict v = verdict();
        assertThat(v.count(MessageCounts.LOST)).as("00000002 is not in the log").isEqualTo(1);
        assertThat(v.count(MessageCounts.DUPLICATED))
                .as("nonce n1 kept under two ids, 00000004 acknowledged twice")
                .isEqualTo(2);
        assertThat(v.count(MessageCounts.READ_TWICE)).isEqualTo(1);
        assertThat(ChaosSuite.ZEROES).contains(MessageCounts.LOST, MessageCounts.DUPLICATED, MessageCounts.READ_TWICE);
    }

    @Test
    void stateCheckFindsTornDocumentsBadLinesTempAndCorruptFiles() throws Exception {
        Files.writeString(state.resolve("locks.json"), "{\"schemaVersion\": 1, \"locks\": [");
        Files.writeString(state.resolve("other.jsonl"), "{}\n{\"a\":\n");
        Files.writeString(state.resolve(".registry.json.1234.tmp"), "{}");
        Files.writeString(state.resolve("registry.json.corrupt-2026"), "{}");
        Files.writeString(missions.resolve("active/.m1.md.99.tmp"), "x");
        StateCheck c = StateCheck.of(state, List.of(missions.resolve("active")));
        assertThat(c.corrupt()).isEqualTo(3);
        assertThat(c.tempFiles).isEqualTo(2);
    }

    @Test
    void aCleanStateDirectoryPasses() throws Exception {
        Files.writeString(
                state.resolve("decisions.jsonl"),
                "{\"schemaVersion\":1,\"id\":\"DEC-20261122-0001\",\"category\":\"c\",\"title\":\"t\","
                        + "\"description\":\"d\",\"tags\":[],\"author\":\"claude-a\",\"author_task\":\"t\","
                        + "\"created_at\":\"2026-11-22T00:46:06.105763120Z\"}\n");
        StateCheck c = StateCheck.of(state, List.of());
        assertThat(c.problems).isEmpty();
        assertThat(c.documents).isEqualTo(2);
    }

    private static Ledger.Claim claim(Incarnation who, String id, long from, long to, boolean takeover) {
        Ledger.Claim c = new Ledger.Claim(who, id, from, takeover);
        c.endAt = to;
        return c;
    }
}
