package dev.coord.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * What a claim did.
 *
 * @param result what happened
 * @param claim {@code CLAIMED}, {@code REPLAYED}, {@code ALREADY_YOURS}: the caller's record; {@code TAKEN},
 *     {@code CHANGED}: the current record of the first refused candidate, or null when it has none (a file claimed
 *     by hand, or a record that is gone)
 * @param missionId the mission the result is about (for {@code TAKEN} and {@code CHANGED}: the first refused
 *     candidate); null for {@code NONE}
 * @param holder {@code TAKEN}: who holds that candidate; {@code CLAIMED} by force: whose claim was taken over;
 *     else null
 * @param notices what happened to the caller's locks and missions since its last call
 */
public record ClaimOutcome(
        Result result, MissionClaim claim, String missionId, ClaimHolder holder, List<Notice> notices) {

    public enum Result {
        /** The caller now holds {@code claim}. */
        CLAIMED,
        /** The request id was seen before: {@code claim} is that request's claim, as it is now. */
        REPLAYED,
        /** The caller already held this mission. */
        ALREADY_YOURS,
        /** No candidate could be claimed, and the first refused one is held by {@code holder}. */
        TAKEN,
        /** No candidate could be claimed, and the first refused one's record changed since the caller looked. */
        CHANGED,
        /**
         * No candidate could be claimed, and the first refused one is done ({@code claim} is its record): a mission
         * completed anywhere, in any worktree, is never claimed again, whatever folder its file is in elsewhere.
         */
        DONE,
        /** There were no candidates. */
        NONE
    }

    public ClaimOutcome {
        Objects.requireNonNull(result, "result");
        notices = List.copyOf(notices);
    }
}
