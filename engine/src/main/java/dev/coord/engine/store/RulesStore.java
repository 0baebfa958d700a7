package dev.coord.engine.store;

import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.ClaimOutcome;
import dev.coord.engine.model.ClaimRequest;
import dev.coord.engine.model.EditClaimOutcome;
import dev.coord.engine.model.FinishOutcome;
import dev.coord.engine.model.FinishRequest;
import dev.coord.engine.model.InboxSummary;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.MessageDraft;
import dev.coord.engine.model.MessageQuery;
import dev.coord.engine.model.MessagesRead;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.ReleaseOutcome;
import dev.coord.engine.model.SendOutcome;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.rules.EditClaimRules;
import dev.coord.engine.rules.LockRules;
import dev.coord.engine.rules.MissionRules;
import dev.coord.engine.rules.MissionTable;
import dev.coord.engine.rules.RegistryRules;
import dev.coord.engine.rules.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A store that keeps its state in its own medium but decides everything with {@link RegistryRules}, {@link LockRules} and {@link MissionRules}:
 * it only has to load a {@link State} (and a {@link MissionTable}) under its cross-process exclusion, run a body on
 * it, and save what the body changed. Every operation that the rules decide is written here once, so that all stores
 * do the same thing for the same call.
 */
public abstract class RulesStore implements CoordStore {
    private static final Pattern EXCLUSIVE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    protected final RegistryRules registryRules;

    protected RulesStore(LivenessJudge judge) {
        this.registryRules = new RegistryRules(judge);
    }

    /** Runs {@code body} on the state loaded under the store's exclusion, saves what it changed, returns its result. */
    protected abstract <T> T transact(Function<State, T> body);

    /** As {@link #transact}, with the mission records loaded and saved too. */
    protected abstract <T> T transactMissions(BiFunction<State, MissionTable, T> body);

    /** The body of a transaction that reads and writes messages too; {@code missions} is null unless asked for. */
    @FunctionalInterface
    protected interface MessageWork<T> {
        T apply(State s, MissionTable missions, MessageBox box);
    }

    /** As {@link #transact}, with the messages (and, if {@code withMissions}, the mission records) loaded. */
    protected abstract <T> T transactMessages(boolean withMissions, MessageWork<T> body);

    private final InboxMemo inboxMemo = new InboxMemo();

    /** Reads messages without the store's cross-process exclusion. */
    protected abstract <T> T viewMessages(Function<MessageBox, T> body);

    @Override
    public SendOutcome sendMessage(Instance caller, MessageDraft draft) {
        return transactMessages(draft.kind() == Message.Kind.HANDOVER, (s, t, box) -> {
            List<Notice> notices = registryRules.enter(s, caller, true);
            return Messaging.send(s, t, box, caller, draft, notices);
        });
    }

    @Override
    public MessagesRead readMessages(Instance caller, MessageQuery query) {
        return transactMessages(false, (s, t, box) -> {
            List<Notice> notices = registryRules.enter(s, caller, true);
            return Messaging.read(box, recipientOf(caller), query, notices);
        });
    }

    @Override
    public InboxSummary inbox(String recipient) {
        return viewMessages(box -> inboxMemo.summary(box, recipient));
    }

    @Override
    public List<Message> recentMessages(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return viewMessages(box -> box.newest(limit));
    }

    /** Whose messages a caller reads: its own, or the people's for a person's command-line session. */
    public static String recipientOf(Instance caller) {
        return Notice.byPerson(caller) ? Message.PERSON : caller.id();
    }

    @Override
    public Snapshot register(Instance caller) {
        return transact(s -> snapshot(s, registryRules.enter(s, caller, false)));
    }

    @Override
    public void heartbeat(Instance caller) {
        transact(s -> {
            keepForLater(s, caller, registryRules.enter(s, caller, false));
            return null;
        });
    }

    @Override
    public void unregister(String instanceId, String reason) {
        transact(s -> {
            registryRules.unregister(s, instanceId, reason);
            return null;
        });
    }

    @Override
    public Snapshot touch(Instance caller) {
        return transact(s -> snapshot(s, registryRules.enter(s, caller, true)));
    }

    @Override
    public AcquireOutcome acquire(
            Instance caller, List<LockRequest> requests, Duration ttl, String reason, Instant waitUntil) {
        return transact(s ->
                LockRules.acquire(s, caller, requests, ttl, reason, waitUntil, registryRules.enter(s, caller, true)));
    }

    @Override
    public EditClaimOutcome claimEdit(Instance caller, String key, String sha256, Duration idle) {
        return transact(s -> EditClaimRules.claim(s, caller, key, sha256, idle, registryRules.enter(s, caller, true)));
    }

    @Override
    public EditClaimOutcome claimEditHashing(Instance caller, String key, Supplier<String> hashNow, Duration idle) {
        // a transaction may run its body again (a retried PostgreSQL transaction): hash once
        Supplier<String> once = new Supplier<>() {
            private boolean done;
            private String hash;

            @Override
            public String get() {
                if (!done) {
                    hash = hashNow.get();
                    done = true;
                }
                return hash;
            }
        };
        return transact(s -> EditClaimRules.claim(s, caller, key, once, idle, registryRules.enter(s, caller, true)));
    }

    @Override
    public List<String> endEditClaims(
            Instance caller, Collection<String> keys, Map<String, String> hashesNow, String reason) {
        return transactMessages(false, (s, t, box) -> {
            keepForLater(s, caller, registryRules.enter(s, caller, false));
            List<String> ended = EditClaimRules.end(s, caller, keys, hashesNow, reason);
            Messaging.followUpReleaseRequests(s, box, ended);
            return ended;
        });
    }

    @Override
    public void recordAudit(String instanceId, String event, Map<String, Object> details) {
        transact(s -> {
            s.audit(event, instanceId, null, null, details);
            return null;
        });
    }

    @Override
    public void cancelWait(Instance caller) {
        transact(s -> {
            LockRules.cancelWait(s, caller.id());
            return null;
        });
    }

    @Override
    public ReleaseOutcome release(
            Instance caller, List<String> paths, boolean force, String reason, Map<String, String> hashesNow) {
        return transactMessages(false, (s, t, box) -> {
            ReleaseOutcome out =
                    LockRules.release(s, caller, paths, force, reason, hashesNow, registryRules.enter(s, caller, true));
            List<String> keys = new ArrayList<>();
            out.released().forEach(r -> keys.add(r.path()));
            Messaging.followUpReleaseRequests(s, box, keys);
            return out;
        });
    }

    @Override
    public ClaimOutcome claimMission(Instance caller, ClaimRequest request) {
        return transactMissions(
                (s, t) -> MissionRules.claim(s, t, caller, request, registryRules.enter(s, caller, true)));
    }

    @Override
    public FinishOutcome finishMission(Instance caller, FinishRequest request) {
        return transactMissions(
                (s, t) -> MissionRules.finish(s, t, caller, request, registryRules.enter(s, caller, true)));
    }

    @Override
    public boolean settleMission(String missionId, long rev) {
        return transactMissions((s, t) -> MissionRules.settle(t, missionId, rev));
    }

    @Override
    public int cleanup() {
        return transactMessages(false, (s, t, box) -> {
            int before = s.instances().size() + s.locks().size() + s.waiters().size();
            registryRules.sweep(s, false);
            box.prune(s.now().minus(Messaging.KEEP_FOR), Messaging.KEEP_AT_MOST);
            return before
                    - (s.instances().size() + s.locks().size() + s.waiters().size());
        });
    }

    /** Puts notices back for the next call that reports them to the model. */
    protected static void keepForLater(State s, Instance caller, List<Notice> notices) {
        s.keepNotices(caller.id(), notices);
    }

    protected static Snapshot snapshot(State s, List<Notice> notices) {
        return new Snapshot(s.now(), List.copyOf(s.instances()), s.locks(), s.waiters(), notices);
    }

    /** Checks the name given to {@link #exclusively}: a short lower-case word, usable in a file name. */
    protected static void checkExclusiveName(String name) {
        if (name == null || !EXCLUSIVE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("exclusive section names are short lower-case words, got " + name);
        }
    }
}
