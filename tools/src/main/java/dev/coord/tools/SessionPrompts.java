package dev.coord.tools;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.Role;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two prompts of a session, which Claude Code shows as {@code /mcp__coord__start} and {@code /mcp__coord__end}.
 * Each is rendered from the shared state when it is asked for, so the model starts from facts, not from a listing it
 * has to make itself.
 */
public final class SessionPrompts {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPrompts.class);

    public static final String START = "start";
    public static final String END = "end";

    private SessionPrompts() {}

    /** Both prompts, to register with the SDK server. */
    public static List<SyncPromptSpecification> all(Coordinator coord) {
        return all(() -> coord);
    }

    /** Both prompts over an engine that may not be open yet: rendering one gets it from {@code coord} (may wait). */
    public static List<SyncPromptSpecification> all(Supplier<Coordinator> coord) {
        return List.of(
                spec(
                        Prompt.builder(START)
                                .title("Start: resume or claim a mission")
                                .description("Shows the active missions with their claimers and the best queued ones,"
                                        + " and asks whether to resume one or claim from the queue.")
                                .arguments(List.of())
                                .build(),
                        "start of session",
                        () -> start(coord.get())),
                spec(
                        Prompt.builder(END)
                                .title("End: finish the mission, log decisions, release locks")
                                .description("Summarizes what this session holds (locks, missions) and walks through"
                                        + " completing or giving back the mission, logging decisions and releasing"
                                        + " locks.")
                                .arguments(List.of())
                                .build(),
                        "end of session",
                        () -> end(coord.get())));
    }

    private static SyncPromptSpecification spec(Prompt prompt, String description, Supplier<String> text) {
        return new SyncPromptSpecification(prompt, (exchange, request) -> {
            String body;
            try {
                body = text.get();
            } catch (RuntimeException e) {
                LOG.warn("rendering the {} prompt failed", prompt.name(), e);
                body = "coord could not read the shared state for this prompt (" + e.getMessage() + "). Tell the"
                        + " user, then carry on: call status to see what coord knows.";
            }
            return GetPromptResult.builder(List.of(new PromptMessage(
                            Role.USER, McpSchema.TextContent.builder(body).build())))
                    .description(description)
                    .build();
        });
    }

    /** The text of {@code /mcp__coord__start}. */
    static String start(Coordinator coord) {
        StatusReport report = coord.status().status(null);
        StringBuilder t = new StringBuilder();
        t.append("This is the start of a session. Several Claude Code sessions may work on this repository at the")
                .append(" same time; coord coordinates them. This session is ")
                .append(report.you().instanceId())
                .append(".\n\n");
        MissionViews.Overview m = report.missions();
        if (m == null) {
            t.append("This repository has no missions folder (")
                    .append(coord.missions().root().getFileName())
                    .append("/). Ask the user what to work on, then call register_instance with that task.\n");
            others(t, report);
            return t.toString();
        }
        t.append("Active missions (").append(m.root()).append("/active/):\n");
        if (m.active().isEmpty()) {
            t.append("- none\n");
        }
        for (MissionViews.Active a : m.active()) {
            t.append("- ").append(a.id()).append(" \"").append(a.title()).append("\" claimed by ");
            t.append(a.claimedBy());
            if (a.task() != null) {
                t.append(" (\"").append(a.task()).append("\")");
            }
            if (a.ageS() != null) {
                t.append(", ").append(age(a.ageS())).append(" ago");
            }
            if (Boolean.TRUE.equals(a.yours())) {
                t.append(" [yours]");
            }
            if (Boolean.TRUE.equals(a.stranded())) {
                t.append(" [STRANDED: its session is gone]");
            }
            if (Boolean.TRUE.equals(a.stale())) {
                t.append(" [possibly stale: claimed more than 24 hours ago]");
            }
            if (a.path() != null) {
                t.append(" - ").append(a.path());
            }
            if (a.note() != null) {
                t.append(" (").append(a.note()).append(")");
            }
            t.append('\n');
        }
        if (m.moreActive() > 0) {
            t.append("- and ").append(m.moreActive()).append(" more (see status)\n");
        }
        t.append("\nQueue: ").append(m.queued()).append(" queued");
        if (m.blocked() > 0) {
            t.append(", ").append(m.blocked()).append(" of them waiting for their dependencies");
        }
        t.append(". Done: ").append(m.done()).append(".\n");
        if (!m.next().isEmpty()) {
            t.append("Best candidates, best first:\n");
            int i = 1;
            for (MissionViews.Candidate c : m.next()) {
                t.append(i++)
                        .append(". ")
                        .append(c.id())
                        .append(" \"")
                        .append(c.title())
                        .append("\"");
                if (c.priority() != null) {
                    t.append(" (priority ").append(c.priority()).append(')');
                }
                t.append(" - ").append(c.path()).append('\n');
            }
        }
        if (!m.malformed().isEmpty()) {
            t.append("Mission files coord cannot read (tell the user):\n");
            for (MissionViews.Malformed bad : m.malformed()) {
                t.append("- ")
                        .append(bad.path())
                        .append(": ")
                        .append(bad.problem())
                        .append('\n');
            }
        }
        others(t, report);
        t.append("""

                Do this now:
                1. Show the user the active missions and the best candidates above, and ask: resume an active \
                mission, or claim a new one from the queue? Wait for the answer; do not choose alone.
                2. To resume one of your own missions: read its file, above all its Execution Log, and continue.
                   To resume a STRANDED mission: call claim_mission with its mission_id, force=true and a reason \
                such as "resuming after <claimer> ended", then read its Execution Log.
                   Never take a mission that another live session holds.
                3. To start a new mission: call claim_mission with a request_id (without mission_id for the best \
                candidate, or with the mission the user chose). If claimed is false, tell the user who holds it and \
                offer next instead.
                4. Then call register_instance with the mission as your task, and acquire_lock before editing files \
                other sessions might touch.
                """);
        return t.toString();
    }

    /** The text of {@code /mcp__coord__end}. */
    static String end(Coordinator coord) {
        StatusReport report = coord.status().status(null);
        List<MissionViews.Mission> mine =
                MissionViews.missions(coord.missions().mine(), coord.missions().paths());
        StringBuilder t = new StringBuilder();
        t.append("This session (").append(report.you().instanceId());
        if (report.you().task() != null) {
            t.append(", task \"").append(report.you().task()).append('"');
        }
        t.append(") is ending. Close it cleanly so that the other sessions can carry on.\n\nThis session holds:\n");
        List<StatusReport.OwnLock> locks =
                report.you().locks() == null ? List.of() : report.you().locks();
        if (locks.isEmpty()) {
            t.append("- no locks\n");
        }
        for (StatusReport.OwnLock l : locks) {
            t.append("- lock ")
                    .append(l.path())
                    .append(" (")
                    .append(l.mode() == null ? "exclusive" : l.mode().wireName())
                    .append(Boolean.TRUE.equals(l.changed()) ? ", file changed since locked" : "")
                    .append(")\n");
        }
        if (report.you().moreLocks() > 0) {
            t.append("- and ").append(report.you().moreLocks()).append(" more locks\n");
        }
        if (mine.isEmpty()) {
            t.append("- no mission\n");
        }
        for (MissionViews.Mission m : mine) {
            t.append("- mission ")
                    .append(m.id())
                    .append(" \"")
                    .append(m.title())
                    .append("\" - ")
                    .append(m.path());
            if (m.claimedAt() != null) {
                t.append(", claimed at ").append(m.claimedAt());
            }
            t.append('\n');
            List<MissionViews.Objective> objectives = m.objectives() == null ? List.of() : m.objectives();
            if (!objectives.isEmpty()) {
                long done =
                        objectives.stream().filter(MissionViews.Objective::done).count();
                t.append("  objectives: ")
                        .append(done)
                        .append(" of ")
                        .append(objectives.size())
                        .append(" ticked\n");
                for (MissionViews.Objective o : objectives) {
                    t.append("  - [")
                            .append(o.done() ? 'x' : ' ')
                            .append("] ")
                            .append(o.text())
                            .append('\n');
                }
            }
        }
        if (report.notices() != null && !report.notices().isEmpty()) {
            t.append("\nNotices for this session:\n");
            report.notices().forEach(n -> t.append("- ").append(n).append('\n'));
        }
        t.append("""

                Walk through these steps with the user:
                1. For each mission above, tell the user what was done in this session and what is left (tick the \
                objectives you completed in its file, - [x]), then ask whether it is finished.
                   - Finished: finish_mission with outcome "done" and a summary of what was done.
                   - Not finished, someone else should continue: finish_mission with outcome "give_back" and a \
                reason that tells the next session where to start.
                   - Not finished, the user will resume it later: leave it active; once this session ends it shows \
                as stranded, and the next session resumes it with claim_mission and force.
                2. For every decision made in this session that other sessions must follow (API shapes, \
                conventions, libraries, schemas), call log_decision; check query_decisions first so as not to log \
                one twice.
                3. Once your edits are saved (ideally committed), release your locks: release_lock with all=true.
                4. Tell the user what was done, what was decided, and what is left.
                """);
        return t.toString();
    }

    private static void others(StringBuilder t, StatusReport report) {
        if (report.instances() == null || report.instances().isEmpty()) {
            t.append("\nNo other session is active now.\n");
            return;
        }
        t.append("\nOther sessions active now:\n");
        for (StatusReport.InstanceLine i : report.instances()) {
            t.append("- ").append(i.instanceId());
            if (i.task() != null) {
                t.append(" (\"").append(i.task()).append("\")");
            }
            t.append(", ")
                    .append(i.locks())
                    .append(i.locks() == 1 ? " lock" : " locks")
                    .append('\n');
        }
        if (report.moreInstances() > 0) {
            t.append("- and ").append(report.moreInstances()).append(" more\n");
        }
    }

    /** {@code 45s}, {@code 12m}, {@code 3h05m}, {@code 2d04h}. */
    static String age(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return hours + "h" + String.format("%02d", minutes % 60) + "m";
        }
        return hours / 24 + "d" + String.format("%02d", hours % 24) + "h";
    }
}
