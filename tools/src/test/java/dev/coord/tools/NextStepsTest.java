package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.NextStep;
import org.junit.jupiter.api.Test;

/** The engine states facts and a domain next step; the model reads them with coord's tool and argument names. */
class NextStepsTest {

    private static String model(String facts, NextStep next) {
        return NextSteps.message(new CoordException(ErrorCode.NOT_FOUND, facts, next));
    }

    @Test
    void eachStepNamesTheToolAndArgumentTheModelUses() {
        assertThat(model("coord has no claim on mission m1", new NextStep(NextStep.Kind.CLAIM_FIRST, "m1", false)))
                .isEqualTo("coord has no claim on mission m1; claim it with claim_mission first (run status to see"
                        + " the missions)");
        assertThat(model(
                        "a.md was claimed outside coord (claimed_by: x).",
                        new NextStep(NextStep.Kind.ADOPT_THEN_FINISH, "m2", true)))
                .isEqualTo("a.md was claimed outside coord (claimed_by: x). Call claim_mission with mission_id m2,"
                        + " force: true and a reason first; then finish it.");
        assertThat(model("x.", new NextStep(NextStep.Kind.ADOPT_THEN_FINISH, "m2", false)))
                .isEqualTo("x. Call claim_mission with mission_id m2 and a reason first; then finish it.");
        assertThat(model("this session holds no mission", NextStep.of(NextStep.Kind.NAME_THE_MISSION)))
                .isEqualTo("this session holds no mission; give the mission_id of the one to finish (run status to"
                        + " see the active missions)");
        assertThat(model("this session holds several missions (a, b)", NextStep.of(NextStep.Kind.NAME_ONE_OF_THEM)))
                .isEqualTo("this session holds several missions (a, b): give mission_id");
        assertThat(model("there is no mission q", new NextStep(NextStep.Kind.SEE_THE_QUEUE, "q", false)))
                .isEqualTo("there is no mission q. Run status to see the queue, or claim_mission without mission_id"
                        + " to take the best queued mission.");
    }

    @Test
    void refusalsAndNotesGetTheirStepToo() {
        assertThat(NextSteps.text(
                        "mission m changed while it was being claimed", NextStep.of(NextStep.Kind.CLAIM_AGAIN)))
                .isEqualTo("mission m changed while it was being claimed; call claim_mission again.");
        assertThat(NextSteps.text(
                        "That session is gone: the mission is stranded.", NextStep.of(NextStep.Kind.TAKE_OVER)))
                .isEqualTo("That session is gone: the mission is stranded. To resume it, ask the user, then call"
                        + " claim_mission with this mission_id, force: true and a reason; it takes the claim over and"
                        + " logs it.");
        assertThat(NextSteps.text("claimed outside coord", NextStep.of(NextStep.Kind.ADOPT)))
                .isEqualTo("claimed outside coord; claim_mission adopts it (force if not yours)");
        assertThat(NextSteps.text("the file is in queue/ here", NextStep.of(NextStep.Kind.FINISH_OR_MOVE_BACK)))
                .isEqualTo("the file is in queue/ here; finish_mission, or a move back to active/, puts it right");
        assertThat(NextSteps.text("no step", null)).isEqualTo("no step");
        assertThat(NextSteps.text(null, NextStep.of(NextStep.Kind.ADOPT))).isNull();
    }

    @Test
    void aFailureWithoutAStepKeepsItsMessage() {
        assertThat(NextSteps.message(new CoordException(ErrorCode.NOT_HELD, "plain facts")))
                .isEqualTo("plain facts");
    }

    @Test
    void aToolCallShowsTheModelTheStep() {
        CoordException e = new CoordException(
                ErrorCode.NOT_FOUND, "this session holds no mission", NextStep.of(NextStep.Kind.NAME_THE_MISSION));
        assertThat(e.getMessage()).doesNotContain("mission_id").doesNotContain("status");
        assertThat(AbstractTool.failure(e.code(), NextSteps.message(e))
                        .content()
                        .toString())
                .contains("NOT_FOUND: this session holds no mission; give the mission_id of the one to finish");
    }
}
