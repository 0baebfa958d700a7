package dev.coord.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.ReleaseMark;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory release marks keep the newest {@link LockRules#RELEASE_MARK_MAX}, least recently released first. */
class ReleaseMarksTest {
    private static ReleaseMark mark(String path) {
        return new ReleaseMark(path, "claude-a", "h", "/repo", Instant.EPOCH);
    }

    @Test
    void boundedNewestLastAndTellsWhetherAnythingChanged() {
        ReleaseMarks.InMemory marks = new ReleaseMarks.InMemory(List.of(mark("a"), mark("b")));
        assertThat(marks.changed()).isFalse();
        assertThat(marks.remove("zzz")).isNull();
        assertThat(marks.changed()).isFalse();
        marks.put(mark("a"));
        assertThat(marks.all()).extracting(ReleaseMark::path).containsExactly("b", "a");
        assertThat(marks.changed()).isTrue();
        for (int i = 0; i < LockRules.RELEASE_MARK_MAX; i++) {
            marks.put(mark("p" + i));
        }
        List<ReleaseMark> all = marks.all();
        assertThat(all).hasSize(LockRules.RELEASE_MARK_MAX);
        assertThat(all.get(0).path()).isEqualTo("p0");
        assertThat(marks.remove("a")).isNull();
        assertThat(marks.remove("p5").path()).isEqualTo("p5");
    }
}
