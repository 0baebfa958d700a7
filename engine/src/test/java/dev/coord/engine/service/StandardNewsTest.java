package dev.coord.engine.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Decision;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Notice;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.path.LockKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The news items the engine produces for what the store reported and what the session wanted (facts, no words). */
class StandardNewsTest {
    private static final Instant AT = Instant.parse("2026-12-07T20:00:00Z");
    private static final Snapshot EMPTY = new Snapshot(AT, List.of(), List.of(), List.of(), List.of());

    private static List<NewsItem> items(Notice notice) {
        List<NewsItem> out = new ArrayList<>();
        StandardNews.lostLocks().collect(EMPTY, List.of(notice), out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(Notice.Kind.class)
    void everyKindOfNoticeBecomesOneItemCarryingIt(Notice.Kind kind) {
        Notice notice = new Notice(kind, "src/a.txt", 7, "claude-bob", "stuck", AT);

        assertThat(items(notice)).containsExactly(new NewsItem.Notified(notice));
    }

    @Test
    void aLockKeptThroughARebuildIsReportedAsItsNotice() {
        Notice notice = new Notice(Notice.Kind.RESTORED, "README.md", 3, null, null, AT);

        assertThat(items(notice)).singleElement().isInstanceOfSatisfying(NewsItem.Notified.class, n -> assertThat(
                        n.notice().path())
                .isEqualTo("README.md"));
    }

    @Test
    void nothingReportedMeansNoItems() {
        List<NewsItem> out = new ArrayList<>();
        StandardNews.lostLocks().collect(EMPTY, List.of(), out);

        assertThat(out).isEmpty();
    }

    @Test
    void aWantedPathIsFreeOnceNoOtherSessionHoldsItAndIsToldOnlyOnce() {
        WaitWatch watch = new WaitWatch();
        watch.wanted(List.of("src/a.txt", "src/b.txt"), AT);
        NewsSource freed = StandardNews.freed(() -> "claude-me", watch);

        List<NewsItem> out = new ArrayList<>();
        freed.collect(EMPTY, List.of(), out);
        freed.collect(EMPTY, List.of(), out);

        assertThat(out).containsExactly(new NewsItem.Freed(List.of("src/a.txt", "src/b.txt")));
        assertThat(watch.isEmpty()).isTrue();
    }

    @Test
    void theWholeRepositoryMatchesEveryDecisionAsItsKey() {
        Decision d = new Decision("d-1", "api", "Anything at all", null, null, List.of(), "claude-bob", null, AT, null);

        assertThat(StandardNews.matchingArea(d, List.of(LockKeys.WHOLE_REPOSITORY)))
                .isEqualTo(LockKeys.WHOLE_REPOSITORY);
        assertThat(StandardNews.matchingArea(d, List.of("src/"))).isNull();
    }

    @Test
    void theGreetingCountsTheOtherSessionsAndTheirLocksOnce() {
        Instance me = instance("claude-me", null);
        Instance bob = instance("claude-bob", "Fix the docs");
        Snapshot snap = new Snapshot(AT, List.of(me, bob), List.of(), List.of(), List.of());
        NewsSource greeting = StandardNews.greeting(() -> "claude-me");

        List<NewsItem> out = new ArrayList<>();
        greeting.collect(snap, List.of(), out);
        greeting.collect(snap, List.of(), out);

        assertThat(out)
                .containsExactly(new NewsItem.Greeting(1, List.of(new NewsItem.Peer("claude-bob", "Fix the docs", 0))));
    }

    private static Instance instance(String id, String task) {
        return new Instance(id, 1, AT, "h", "b", "/w", "main", null, null, null, task, null, AT, AT);
    }
}
