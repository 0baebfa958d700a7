package dev.coord.engine.service;

import dev.coord.engine.CoordException;
import dev.coord.engine.Session;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Notice;
import dev.coord.engine.store.CoordStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The decision log for one session: append a checked draft, find one decision or query the log. The tools (and the
 * CLI, through them) check what they were given.
 */
public final class DecisionService {
    /** The form of a decision id: {@code DEC-<yyyyMMdd>-<sequence>}. */
    public static final Pattern ID = Pattern.compile("DEC-\\d{8}-\\d{4,}");

    private final CoordStore store;
    private final Session session;

    public DecisionService(CoordStore store, Session session) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
    }

    /**
     * Appends a decision to the log. The draft comes checked (the tools and the CLI check what they were given).
     *
     * @throws CoordException NOT_FOUND when the draft supersedes a decision that is not in the log
     */
    public Decision log(DecisionDraft draft) {
        if (draft.supersedes() != null && store.decision(draft.supersedes()).isEmpty()) {
            throw CoordException.notFound("supersedes names " + draft.supersedes()
                    + ", which is not in the decision log; query_decisions lists the existing ids");
        }
        return store.appendDecision(session.self(), draft);
    }

    /** One decision by id, and what happened to this session's locks since its last call. */
    public DecisionsResult find(String id) {
        Decision d = store.decision(id).orElseThrow(() -> CoordException.notFound("no decision " + id + " in the log"));
        return new DecisionsResult(List.of(d), store.touch(session.self()).notices());
    }

    /** The decisions a query finds, newest first, and what happened to this session's locks since its last call. */
    public DecisionsResult query(DecisionQuery query) {
        List<Decision> found = store.decisions(query);
        return new DecisionsResult(found, store.touch(session.self()).notices());
    }

    /** Decisions found, and what happened to this session's locks since its last call. */
    public record DecisionsResult(List<Decision> decisions, List<Notice> notices) {}

    /** The store's clock (ages such as {@code 24h} count back from it). */
    public Instant now() {
        return store.now();
    }

    /** For each of these ids that a later decision supersedes: the id of that later decision. */
    public Map<String, String> supersededBy(List<String> ids) {
        return ids.isEmpty() ? Map.of() : store.supersededBy(ids);
    }
}
