package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.mission.MissionDocument;
import dev.coord.engine.mission.MissionEntry;
import dev.coord.engine.mission.MissionFormat;
import dev.coord.engine.mission.MissionPaths;
import dev.coord.engine.model.ClaimHolder;
import dev.coord.engine.model.MissionClaim;
import dev.coord.engine.model.MissionState;
import dev.coord.engine.service.MissionOutcomes;
import dev.coord.engine.service.MissionOutcomes.Sighting;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact shapes mission results and reports take, and how the engine's {@link MissionOutcomes} become them;
 * fields are left out when they carry nothing. Lists are capped here: every byte lands in the model's context.
 */
public final class MissionViews {
    public static final int MAX_OBJECTIVES = 30;
    public static final int MAX_OBJECTIVE_TEXT = 200;
    public static final int MAX_NEXT = 5;
    public static final int MAX_ACTIVE = 20;
    public static final int MAX_MALFORMED = 10;

    private MissionViews() {}

    /**
     * A mission as a model needs to see it.
     *
     * @param id the mission id
     * @param path the file, relative to the repository root
     * @param title the first {@code # } heading
     * @param status the {@code status} field as written in the file
     * @param priority {@code priority}, left out when the file has none
     * @param claimedBy the claimer's instance id
     * @param claimedAt when it was claimed, ISO-8601 with offset
     * @param completedAt when it was completed, as written in the file
     * @param objectives the checkbox items of {@code ## Objectives} (at most {@link #MAX_OBJECTIVES})
     * @param note on an active mission: what its last claimer wrote when it gave the mission back
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Mission(
            String id,
            String path,
            String title,
            String status,
            Integer priority,
            String claimedBy,
            String claimedAt,
            String completedAt,
            List<Objective> objectives,
            String note) {}

    /** An objective: its text and whether its box is ticked. */
    public record Objective(String text, boolean done) {}

    /**
     * Who holds a mission.
     *
     * @param instanceId the claimer
     * @param task its task, or null
     * @param claimedAt when it claimed (ISO-8601 with offset), or null when unknown
     * @param alive whether it is a live session; false means the mission is stranded
     * @param stale whether the claim is older than 24 hours
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Holder(String instanceId, String task, String claimedAt, boolean alive, boolean stale) {}

    /**
     * A queued mission. For the model, one that could be claimed ({@code priority} left out when the default); for
     * people ({@link MissionsView}) every queued one, with its priority and the {@code depends_on} not yet done
     * ({@code waitsFor}, left out when none).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Candidate(
            String id,
            String title,
            Integer priority,
            String path,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> waitsFor) {}

    /**
     * What {@code claim_mission} answers.
     *
     * @param claimed whether the caller holds the mission now
     * @param mission the mission claimed (or, when not claimed, the one asked for, if any)
     * @param code when not claimed: ALREADY_CLAIMED, CONFLICT (dependencies, done, a name clash) or NOT_FOUND
     *     (nothing claimable)
     * @param reason when not claimed: why, and what to do
     * @param heldBy when not claimed because someone holds it: who, since when, alive or not
     * @param next when not claimed: the best mission that can be claimed instead
     * @param replayed the request id was used before: this is that request's claim
     * @param alreadyYours the caller already held it
     * @param takenOverFrom with force: whose claim was taken over
     * @param warning the claim is recorded but its file could not be moved or stamped yet (retried by the next call)
     * @param notices what happened to the caller's locks and missions since its last call
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClaimResult(
            boolean claimed,
            Mission mission,
            String code,
            String reason,
            Holder heldBy,
            Candidate next,
            Boolean replayed,
            Boolean alreadyYours,
            Holder takenOverFrom,
            String warning,
            List<String> notices) {}

    /**
     * What {@code finish_mission} answers.
     *
     * @param missionId the mission
     * @param outcome {@code done} or {@code give_back}
     * @param mission the mission as it is now (its file in {@code done/} or {@code queue/})
     * @param replayed it had already been finished this way by the caller: nothing changed
     * @param finishedFor when the caller finished another instance's claim: that instance
     * @param warning the change is recorded but the file could not be moved or stamped yet
     * @param notices what happened to the caller's locks and missions since its last call
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FinishResult(
            String missionId,
            String outcome,
            Mission mission,
            Boolean replayed,
            String finishedFor,
            String warning,
            List<String> notices) {}

    /**
     * The missions part of {@code status}: compact, capped lists.
     *
     * @param root the missions folder, relative to the repository root
     * @param queued how many files are in {@code queue/}
     * @param next the best claimable missions, best first (at most 5)
     * @param blocked queued missions waiting for their {@code depends_on}
     * @param active the missions being worked on, oldest claim first
     * @param moreActive active missions left out of the list
     * @param done how many files are in {@code done/}
     * @param malformed files coord cannot read, with what is wrong
     * @param moreMalformed malformed files left out of the list
     * @param differences files of this worktree that disagree with the shared claim records (a mission done in
     *     another worktree whose copy here is still in {@code queue/}), with what it means; capped like malformed
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Overview(
            String root,
            @JsonInclude(JsonInclude.Include.ALWAYS) int queued,
            List<Candidate> next,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int blocked,
            List<Active> active,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int moreActive,
            @JsonInclude(JsonInclude.Include.ALWAYS) int done,
            List<Malformed> malformed,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int moreMalformed,
            List<Malformed> differences) {}

    /**
     * An active mission.
     *
     * @param ageS seconds since it was claimed, left out when unknown
     * @param yours claimed by the caller
     * @param alive for people ({@link MissionsView}, which leaves out {@code yours}, {@code stranded} and
     *     {@code note}): whether its claimer is a live session, always given
     * @param stranded its claimer is gone (crashed or ended): someone may take it over with force
     * @param stale claimed more than 24 hours ago: possibly abandoned
     * @param note something the user should know, such as a file that is not where the claim says
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Active(
            String id,
            String title,
            String path,
            String claimedBy,
            String task,
            String claimedAt,
            Long ageS,
            Boolean yours,
            Boolean alive,
            Boolean stranded,
            Boolean stale,
            String note) {}

    /** A file coord cannot read, and why. */
    public record Malformed(String path, String problem) {}

    // ---------------------------------------------------------------- from the engine's outcomes

    /** What {@code claim_mission} answers for a claim outcome. */
    public static ClaimResult claim(MissionOutcomes.Claim c, MissionPaths paths) {
        return new ClaimResult(
                c.claimed(),
                c.mission() == null ? null : mission(c.mission(), paths),
                c.refusal() == null ? null : c.refusal().name(),
                NextSteps.text(c.reason(), c.step()),
                holder(c.heldBy(), paths),
                c.next() == null ? null : candidate(c.next(), paths),
                c.replayed() ? Boolean.TRUE : null,
                c.alreadyYours() ? Boolean.TRUE : null,
                holder(c.takenOverFrom(), paths),
                c.warning(),
                Views.notices(c.notices()));
    }

    /** What {@code finish_mission} answers for a finish outcome. */
    public static FinishResult finish(MissionOutcomes.Finish f, MissionPaths paths) {
        return new FinishResult(
                f.missionId(),
                f.outcome() == MissionState.DONE ? "done" : "give_back",
                mission(f.mission(), paths),
                f.replayed() ? Boolean.TRUE : null,
                f.finishedFor(),
                f.warning(),
                Views.notices(f.notices()));
    }

    /** The missions part of {@code status}, or null when there is no missions folder. */
    public static Overview overview(MissionOutcomes.Overview o, MissionPaths paths) {
        if (o == null) {
            return null;
        }
        List<Candidate> next = new ArrayList<>();
        for (MissionEntry e :
                o.claimable().subList(0, Math.min(MAX_NEXT, o.claimable().size()))) {
            next.add(candidate(e, paths));
        }
        List<Active> active = new ArrayList<>();
        for (MissionOutcomes.Active a :
                o.active().subList(0, Math.min(MAX_ACTIVE, o.active().size()))) {
            active.add(new Active(
                    a.id(),
                    a.title(),
                    a.file() == null ? null : paths.rel(a.file()),
                    a.claimedBy(),
                    a.task(),
                    a.claimedAt() == null ? null : paths.timestamp(a.claimedAt()),
                    a.ageS(),
                    a.yours() ? Boolean.TRUE : null,
                    null,
                    a.stranded() ? Boolean.TRUE : null,
                    a.stale() ? Boolean.TRUE : null,
                    NextSteps.text(a.note(), a.step())));
        }
        List<Malformed> malformed = new ArrayList<>();
        for (MissionEntry e :
                o.malformed().subList(0, Math.min(MAX_MALFORMED, o.malformed().size()))) {
            malformed.add(new Malformed(paths.rel(e.file()), e.problem()));
        }
        return new Overview(
                paths.rel(o.root()),
                o.queued(),
                next,
                o.blocked(),
                active,
                Math.max(0, o.active().size() - MAX_ACTIVE),
                o.done(),
                malformed,
                o.malformed().size() - malformed.size(),
                o.differences().stream()
                        .limit(MAX_MALFORMED)
                        .map(d -> new Malformed(paths.rel(d.file()), d.problem()))
                        .toList());
    }

    /** Missions as a model needs to see them. */
    public static List<Mission> missions(List<Sighting> sightings, MissionPaths paths) {
        List<Mission> out = new ArrayList<>(sightings.size());
        sightings.forEach(s -> out.add(mission(s, paths)));
        return out;
    }

    /** A mission as a model needs to see it: from its file when readable, else from the store's record. */
    public static Mission mission(Sighting s, MissionPaths paths) {
        MissionClaim rec = s.record();
        String note = rec != null && rec.active() ? rec.summary() : null;
        if (s.doc() != null) {
            return mission(s.doc(), paths.rel(s.file()), note);
        }
        return new Mission(
                rec.missionId(),
                paths.rel(s.file()),
                rec.missionId(),
                rec.state().name(),
                null,
                rec.claimedBy(),
                paths.timestamp(rec.claimedAt()),
                null,
                null,
                note);
    }

    private static Mission mission(MissionDocument doc, String path, String note) {
        List<Objective> objectives = new ArrayList<>();
        for (dev.coord.engine.mission.Objective o : doc.objectives()) {
            if (objectives.size() == MAX_OBJECTIVES) {
                break;
            }
            String text = o.text().length() > MAX_OBJECTIVE_TEXT
                    ? o.text().substring(0, MAX_OBJECTIVE_TEXT) + "..."
                    : o.text();
            objectives.add(new Objective(text, o.done()));
        }
        return new Mission(
                doc.missionId(),
                path,
                doc.title(),
                doc.status().orElse(null),
                priority(doc),
                doc.claimedBy().orElse(null),
                doc.claimedAt().map(MissionFormat::timestamp).orElse(null),
                doc.completedAt().orElse(null),
                objectives,
                note);
    }

    private static Candidate candidate(MissionEntry e, MissionPaths paths) {
        return new Candidate(e.id(), e.doc().title(), priority(e.doc()), paths.rel(e.file()), null);
    }

    private static Integer priority(MissionDocument doc) {
        return doc.priority() == MissionFormat.DEFAULT_PRIORITY ? null : doc.priority();
    }

    private static Holder holder(ClaimHolder h, MissionPaths paths) {
        return h == null
                ? null
                : new Holder(
                        h.instanceId(),
                        h.task(),
                        h.since() == null ? null : paths.timestamp(h.since()),
                        h.alive(),
                        h.stale());
    }
}
