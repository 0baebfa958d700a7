package dev.coord.server.cli;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.EngineSettings;
import dev.coord.engine.git.RadarCache;
import dev.coord.engine.git.RadarResult;
import dev.coord.engine.model.AuditEvent;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.model.SendOutcome;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.model.Waiter;
import dev.coord.engine.service.LockService;
import dev.coord.engine.service.MessageService;
import dev.coord.engine.service.MissionOutcomes;
import dev.coord.engine.store.CoordStore;
import dev.coord.server.dashboard.DashboardSource;
import dev.coord.server.store.Stores;
import dev.coord.tools.MissionsView;
import dev.coord.tools.StatusView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code coord dashboard} shows and does, over one open store: the same {@link StatusView} and
 * {@link MissionsView} that {@code coord status} prints, plus the wait queue and the audit log; and the two actions a
 * person may take, each through the engine's services as a short-lived session with role {@code dashboard}, like
 * {@code coord locks release --force} does with role {@code cli} ({@link CliEnv#personEngine}).
 */
final class DashboardData implements DashboardSource {
    static final int RECENT_DECISIONS = 30;
    static final int SEARCH_DECISIONS = 100;
    static final int AUDIT = 300;
    static final int MESSAGES = 50;
    static final int MESSAGE_BODY = 600;

    private final CliEnv ctx;
    private final CoordStore store;
    private final EngineSettings settings;
    private final String user;
    private final RadarCache radar;

    DashboardData(CliEnv ctx, CoordStore store) {
        this.ctx = ctx;
        this.store = store;
        this.settings = ctx.config().engine();
        this.user = ctx.person();
        this.radar = new RadarCache(ctx.stateDir());
    }

    /** The wait queue: who waits for which keys, in the order they will be served. */
    record WaitView(String instanceId, List<String> paths, List<String> modes, Instant since, Instant deadline) {}

    /** What the page needs to judge times and liveness. */
    record Meta(
            String repository, String store, Instant at, long heartbeatS, long staleAfterS, List<String> problems) {}

    @Override
    public Map<String, Object> read() {
        Snapshot snap = store.read();
        StatusView v = StatusView.of(
                ctx.layout().root().toString(),
                ctx.stateDir().toString(),
                store.describe(),
                snap,
                store.decisions(new DecisionQuery(null, null, null, RECENT_DECISIONS)),
                Stores.problems(store));
        List<WaitView> waits = new ArrayList<>();
        snap.waiters().stream().sorted((a, b) -> a.since().compareTo(b.since())).forEach(w -> waits.add(waitView(w)));
        List<AuditEvent> audit = store.recentAudit(AUDIT);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "meta",
                new Meta(
                        v.repository(),
                        v.store(),
                        v.at(),
                        settings.heartbeatInterval().toSeconds(),
                        settings.staleAfter().toSeconds(),
                        v.problems() == null ? List.of() : v.problems()));
        out.put("sessions", v.instances());
        out.put("locks", v.locks());
        out.put("waits", waits);
        out.put("decisions", v.recentDecisions());
        MissionsView missions = MissionsView.read(ctx.missionPaths(), snap, store.missions());
        out.put("missions", missions == null ? Map.of() : missions);
        out.put("audit", audit);
        out.put("overlaps", overlaps(snap));
        out.put("messages", messages());
        return out;
    }

    /**
     * The overlap radar's newest result as the servers shared it in {@code radar.json} (no git here: the page polls
     * often, and the servers already keep that file fresh), with the overlaps between live sessions in the form of
     * {@code coord conflicts --json}. {@code computed_at} is left out when no server has written a result.
     */
    private Map<String, Object> overlaps(Snapshot snap) {
        Map<String, Object> out = new LinkedHashMap<>();
        RadarResult r = radar.read().orElse(null);
        if (r == null) {
            out.put("overlaps", List.of());
            return out;
        }
        Map<String, Instance> byId = new HashMap<>();
        snap.instances().forEach(i -> byId.put(i.id(), i));
        out.put("computed_at", r.computedAt().truncatedTo(ChronoUnit.SECONDS));
        out.put("predicted", r.predicted());
        out.put("base", r.base());
        out.put(
                "overlaps",
                r.overlaps().stream()
                        .filter(o -> byId.containsKey(o.a()) && byId.containsKey(o.b()))
                        .map(o -> ConflictsCommand.view(o, byId))
                        .toList());
        out.put("cut", r.cut());
        return out;
    }

    /** A message as the page lists it: the body cut to {@link #MESSAGE_BODY} characters. */
    record MessageView(
            String id,
            Instant at,
            String from,
            String fromRole,
            String fromTask,
            boolean person,
            String to,
            List<String> recipients,
            String kind,
            String subject,
            String body,
            boolean truncated,
            String replyTo,
            List<String> aboutPaths) {}

    /** The newest messages between sessions and people, oldest first. */
    private List<MessageView> messages() {
        List<MessageView> out = new ArrayList<>();
        for (Message m : store.recentMessages(MESSAGES)) {
            boolean cut = m.body().length() > MESSAGE_BODY;
            out.add(new MessageView(
                    m.id(),
                    m.at(),
                    m.from(),
                    m.fromRole(),
                    m.fromTask(),
                    m.person(),
                    m.to(),
                    m.recipients(),
                    m.kind().wireName(),
                    m.subject(),
                    cut ? m.body().substring(0, MESSAGE_BODY) + "..." : m.body(),
                    cut,
                    m.replyTo(),
                    m.aboutPaths()));
        }
        return out;
    }

    @Override
    public Object sendMessage(String to, String subject, String body) {
        try (CoordEngine engine = actor()) {
            SendOutcome r = engine.messages()
                    .send(new MessageService.Send(to, Message.Kind.NOTE, subject, body, null, List.of(), null));
            List<String> who = new ArrayList<>();
            r.deliveredTo().forEach(h -> who.add(h.instanceId()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", r.message().id());
            out.put("delivered_to", who);
            out.put("message", "sent to " + String.join(", ", who));
            return out;
        }
    }

    private static WaitView waitView(Waiter w) {
        List<String> paths = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        w.requests().forEach(r -> {
            paths.add(r.path());
            modes.add(r.mode().wireName());
        });
        return new WaitView(w.instance(), paths, modes, w.since(), w.deadline());
    }

    @Override
    public Object searchDecisions(String text, String category) {
        StatusView v = StatusView.of(
                "",
                "",
                null,
                new Snapshot(store.now(), List.of(), List.of(), List.of(), List.of()),
                store.decisions(new DecisionQuery(category, text, null, SEARCH_DECISIONS)),
                List.of());
        return v.recentDecisions();
    }

    /** Who acted, written into the reason so that the audit log and the holder's notice both say so. */
    private String signed(String reason) {
        return reason + " [coord dashboard, " + user + "]";
    }

    @Override
    public Object forceRelease(String path, String reason) {
        try (CoordEngine engine = actor()) {
            LockService.ReleaseResult r = engine.locks().release(List.of(path), true, signed(reason));
            List<Map<String, Object>> released = new ArrayList<>();
            for (LockService.ReleasedLock l : r.released()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", l.path());
                m.put("token", l.token());
                m.put("from", l.forcedFrom());
                released.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("released", released);
            out.put(
                    "message",
                    released.isEmpty()
                            ? path + " was not locked (any more)"
                            : "released " + path + "; its holder is told on its next call");
            return out;
        }
    }

    @Override
    public Object giveBack(String missionId, String reason) {
        try (CoordEngine engine = actor()) {
            MissionOutcomes.Finish r =
                    engine.missions().finish(missionId, MissionState.QUEUED, null, signed(reason), false);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("mission_id", r.missionId());
            out.put("message", "mission " + missionId + " is back in the queue");
            if (r.warning() != null) {
                out.put("warning", r.warning());
            }
            return out;
        }
    }

    /**
     * A short-lived engine on its own store connection whose session (role {@code dashboard}) acts for the person;
     * closing it unregisters that session. The dashboard's own store stays open for reading.
     */
    private CoordEngine actor() {
        return ctx.personEngine(
                user + " at the coord dashboard", dev.coord.engine.model.Notice.DASHBOARD_ROLE, "coord-dashboard");
    }
}
