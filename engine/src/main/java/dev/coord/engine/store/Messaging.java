package dev.coord.engine.store;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.HolderRef;
import dev.coord.engine.model.InboxSummary;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.MessageDraft;
import dev.coord.engine.model.MessageQuery;
import dev.coord.engine.model.MessagesRead;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.SendOutcome;
import dev.coord.engine.model.Waiter;
import dev.coord.engine.path.LockKeys;
import dev.coord.engine.rules.MessageRules;
import dev.coord.engine.rules.MissionTable;
import dev.coord.engine.rules.State;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Messages between sessions, the same for every store: sending (recipients decided by {@link MessageRules}, a
 * handover applied in the same transaction), reading with per-recipient read marks, the unread summary, retention,
 * and the note coord leaves a requester when a path it asked for is free.
 */
public final class Messaging {
    /** Messages are kept this long. */
    public static final Duration KEEP_FOR = Duration.ofDays(30);
    /** At most this many messages are kept; the oldest go first. */
    public static final int KEEP_AT_MOST = 5_000;
    /** A release request is followed up (the requester told when the path is free) for this long. */
    public static final Duration FOLLOW_UP_FOR = Duration.ofHours(24);

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Messaging() {}

    /**
     * Sends a message from {@code caller} (alive: the store's {@code enter} ran), inside one transaction of the store.
     */
    static SendOutcome send(
            State s, MissionTable t, MessageBox box, Instance caller, MessageDraft d, List<Notice> notices) {
        String thread = null;
        if (d.replyTo() != null) {
            Message original = box.byId(d.replyTo())
                    .orElseThrow(() -> new CoordException(
                            ErrorCode.NOT_FOUND,
                            "reply_to names no kept message: " + d.replyTo() + " (read_messages lists the ids)"));
            thread = original.thread();
        }
        MessageDraft draft = d;
        if (d.to() == null && d.replyTo() != null && d.kind() == Message.Kind.NOTE) {
            Message original = box.byId(d.replyTo()).orElseThrow();
            draft = new MessageDraft(
                    original.person() ? Message.PERSON : original.from(),
                    d.kind(),
                    d.subject(),
                    d.body(),
                    d.replyTo(),
                    d.aboutPaths(),
                    d.mission());
        }
        if (draft.to() == null && draft.kind() != Message.Kind.RELEASE_REQUEST) {
            throw CoordException.invalidArgument("to is required (an instance id, a role, all, person or"
                    + " holder:<path>); only a release_request or a reply may leave it out");
        }
        List<String> recipients;
        List<Grant> moved = List.of();
        if (draft.kind() == Message.Kind.HANDOVER) {
            recipients = MessageRules.recipients(s, caller.id(), draft);
            if (recipients.size() != 1 || recipients.get(0).equals(Message.PERSON)) {
                throw CoordException.invalidArgument("a handover goes to exactly one live session; " + draft.to()
                        + " names " + recipients.size() + ": give an instance id");
            }
            moved = MessageRules.handOver(s, t, caller, recipients.get(0), draft.aboutPaths(), draft.mission());
        } else {
            recipients = MessageRules.recipients(s, caller.id(), draft);
        }
        String id = newId(s.now(), box);
        Message m = new Message(
                id,
                s.now(),
                caller.id(),
                caller.role(),
                caller.task(),
                Notice.byPerson(caller),
                draft.to() == null ? MessageRules.HOLDER + String.join(",", draft.aboutPaths()) : draft.to(),
                recipients,
                draft.kind(),
                draft.subject(),
                draft.body(),
                draft.replyTo(),
                thread == null ? id : thread,
                draft.aboutPaths(),
                draft.mission());
        pruneIfDue(box, s.now());
        box.append(m);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", id);
        details.put("kind", m.kind().wireName());
        details.put("to", recipients);
        s.audit("message", caller.id(), null, null, details);
        List<HolderRef> delivered = new ArrayList<>();
        for (String r : recipients) {
            delivered.add(
                    r.equals(Message.PERSON)
                            ? new HolderRef(Message.PERSON, null, null)
                            : HolderRef.of(r, s.instance(r)));
        }
        return new SendOutcome(m, delivered, moved, notices);
    }

    /** Reads the recipient's messages and marks them read, inside one transaction of the store. */
    static MessagesRead read(MessageBox box, String recipient, MessageQuery q, List<Notice> notices) {
        List<Message> mine;
        if (q.thread() != null) {
            Message any = box.byId(q.thread())
                    .orElseThrow(() ->
                            new CoordException(ErrorCode.NOT_FOUND, "thread names no kept message: " + q.thread()));
            mine = new ArrayList<>();
            for (Message m : box.thread(any.thread())) {
                if (m.recipients().contains(recipient) || m.from().equals(recipient)) {
                    mine.add(m);
                }
            }
            if (mine.isEmpty()) {
                throw new CoordException(
                        ErrorCode.NOT_FOUND, "thread " + q.thread() + " has no message to or from you");
            }
        } else {
            mine = box.deliveredTo(recipient);
        }
        Set<String> read = box.readBy(recipient);
        List<Message> picked = new ArrayList<>();
        for (Message m : mine) {
            if (q.since() != null && m.at().isBefore(q.since())) {
                continue;
            }
            if (q.unreadOnly() && read.contains(m.id())) {
                continue;
            }
            picked.add(m);
        }
        if (picked.size() > q.limit()) {
            // unread first come oldest first: the oldest unread are read first, the rest stay unread
            picked = q.unreadOnly()
                    ? new ArrayList<>(picked.subList(0, q.limit()))
                    : new ArrayList<>(picked.subList(picked.size() - q.limit(), picked.size()));
        }
        List<String> newlyRead = new ArrayList<>();
        for (Message m : picked) {
            if (m.recipients().contains(recipient) && !read.contains(m.id())) {
                newlyRead.add(m.id());
            }
        }
        if (!newlyRead.isEmpty()) {
            box.markRead(recipient, newlyRead);
        }
        Set<String> nowRead = new HashSet<>(read);
        nowRead.addAll(newlyRead);
        int left = 0;
        for (Message m : box.deliveredTo(recipient)) {
            if (!nowRead.contains(m.id())) {
                left++;
            }
        }
        return new MessagesRead(picked, left, notices);
    }

    /** The recipient's unread messages in a few words; reads only. */
    static InboxSummary summary(MessageBox box, String recipient) {
        List<Message> mine = box.deliveredTo(recipient);
        if (mine.isEmpty()) {
            return InboxSummary.EMPTY;
        }
        Set<String> read = box.readBy(recipient);
        int unread = 0;
        Message newest = null;
        for (Message m : mine) {
            if (!read.contains(m.id())) {
                unread++;
                newest = m;
            }
        }
        return unread == 0 ? InboxSummary.EMPTY : new InboxSummary(unread, newest);
    }

    /**
     * Tells each requester whose release request (younger than {@link #FOLLOW_UP_FOR}) names a path that is now free
     * of other sessions' locks, and who is not waiting for it in the queue, that it is free: one {@code path_free}
     * message from coord per request and path, answering the request. Runs inside the transaction of a release.
     */
    static void followUpReleaseRequests(State s, MessageBox box, List<String> releasedKeys) {
        if (releasedKeys.isEmpty()) {
            return;
        }
        Instant after = s.now().minus(FOLLOW_UP_FOR);
        for (Message req : box.since(Message.Kind.RELEASE_REQUEST, after)) {
            if (!s.isRegistered(req.from())) {
                continue;
            }
            List<String> freed = new ArrayList<>();
            for (String key : req.aboutPaths()) {
                boolean released = releasedKeys.stream().anyMatch(k -> LockKeys.overlaps(k, key));
                if (released
                        && MessageRules.free(s, req.from(), key)
                        && !waiting(s, req.from(), key)
                        && !alreadyTold(box, req, key)) {
                    freed.add(key);
                }
            }
            if (freed.isEmpty()) {
                continue;
            }
            String id = newId(s.now(), box);
            box.append(new Message(
                    id,
                    s.now(),
                    Message.COORD,
                    null,
                    null,
                    false,
                    req.from(),
                    List.of(req.from()),
                    Message.Kind.PATH_FREE,
                    "free: " + String.join(", ", freed),
                    String.join(", ", freed) + (freed.size() == 1 ? " is" : " are") + " free now (you asked for it in "
                            + req.id() + "); acquire_lock it before editing.",
                    req.id(),
                    req.thread(),
                    freed,
                    null));
            s.audit("message", Message.COORD, null, null, Map.of("id", id, "kind", "path_free", "to", req.from()));
        }
    }

    private static boolean waiting(State s, String instance, String key) {
        for (Waiter w : s.waiters()) {
            if (w.instance().equals(instance)
                    && w.requests().stream().anyMatch(r -> LockKeys.overlaps(r.path(), key))) {
                return true;
            }
        }
        return false;
    }

    private static boolean alreadyTold(MessageBox box, Message request, String key) {
        for (Message m : box.thread(request.thread())) {
            if (m.kind() == Message.Kind.PATH_FREE
                    && request.id().equals(m.replyTo())
                    && m.aboutPaths().contains(key)) {
                return true;
            }
        }
        return false;
    }

    /** Drops what retention no longer keeps, when there is something to drop. */
    static int pruneIfDue(MessageBox box, Instant now) {
        MessageBox.Kept kept = box.kept();
        Instant before = now.minus(KEEP_FOR);
        boolean tooOld = kept.oldest() != null && kept.oldest().isBefore(before);
        // by count only in batches (a tenth over the limit), so that a full log is not rewritten on every send
        boolean tooMany = kept.count() >= KEEP_AT_MOST + KEEP_AT_MOST / 10;
        return tooOld || tooMany ? box.prune(before, KEEP_AT_MOST - 1) : 0;
    }

    /** A new id no kept message has: {@code msg-YYYYMMDD-<8 hex>}, random, checked under the store's exclusion. */
    static String newId(Instant now, MessageBox box) {
        while (true) {
            String id = "msg-" + DAY.format(now) + "-" + String.format(Locale.ROOT, "%08x", RANDOM.nextInt());
            if (!box.exists(id)) {
                return id;
            }
        }
    }
}
