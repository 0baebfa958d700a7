package dev.coord.engine.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The news lines the hooks put in the model's context for what the store reported about the session's locks. */
class StandardNewsTest {
    private static final Instant AT = Instant.parse("2026-12-07T20:00:00Z");
    private static final Snapshot EMPTY = new Snapshot(AT, List.of(), List.of(), List.of(), List.of());

    private static List<String> lines(Notice notice) {
        List<String> out = new ArrayList<>();
        StandardNews.lostLocks().collect(EMPTY, List.of(notice), out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(Notice.Kind.class)
    void everyKindOfNoticeBecomesOneLineNamingThePath(Notice.Kind kind) {
        List<String> out = lines(new Notice(kind, "src/a.txt", 7, "claude-bob", "stuck", AT));

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).startsWith("coord: ").contains("src/a.txt");
    }

    @Test
    void aLockKeptThroughARebuildSaysSoAndPointsAtStatus() {
        List<String> out = lines(new Notice(Notice.Kind.RESTORED, "README.md", 3, null, null, AT));

        assertThat(out)
                .containsExactly("coord: the shared lock table was damaged and rebuilt from the audit log; your lock on"
                        + " README.md was kept. Run status to check your locks.");
    }

    @Test
    void nothingReportedMeansNoLines() {
        List<String> out = new ArrayList<>();
        StandardNews.lostLocks().collect(EMPTY, List.of(), out);

        assertThat(out).isEmpty();
    }
}
