package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.Session;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.Notice;
import dev.coord.engine.service.DecisionService;
import dev.coord.engine.service.LockService;
import dev.coord.engine.testing.ServiceFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecisionServiceTest {
    @TempDir
    Path tmp;

    private ServiceFixture f;
    private Session mine;
    private DecisionCalls decisions;

    @BeforeEach
    void setUp() {
        f = new ServiceFixture(tmp);
        mine = f.session("claude-me", 101);
        decisions = new DecisionCalls(new DecisionService(f.store, mine));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private void assertRefused(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(CoordException.class)
                .hasMessage(message)
                .extracting(e -> ((CoordException) e).code())
                .isEqualTo(code);
    }

    private void assertInvalid(ThrowingCallable call, String message) {
        assertRefused(call, ErrorCode.INVALID_ARGUMENT, message);
        assertThat(f.store.decisions(new dev.coord.engine.model.DecisionQuery(null, null, null, 100)))
                .as("nothing logged by a refused call")
                .isEmpty();
    }

    private Decision log(String title) {
        return decisions.log("api", title, "because", null, null, null);
    }

    // ------------------------------------------------------------------------------------------------ validation

    @Test
    void logValidationMessages() {
        assertInvalid(
                () -> decisions.log(null, "t", "d", null, null, null), "category is required and must not be blank");
        assertInvalid(
                () -> decisions.log("  ", "t", "d", null, null, null), "category is required and must not be blank");
        assertInvalid(
                () -> decisions.log("api design", "t", "d", null, null, null),
                "category must be a short lower-case word such as api-design or database (letters, digits, . _ / -),"
                        + " got \"api design\"");
        assertInvalid(
                () -> decisions.log("c".repeat(65), "t", "d", null, null, null),
                "category must be at most 64 characters, got 65");
        assertInvalid(() -> decisions.log("api", "", "d", null, null, null), "title is required and must not be blank");
        assertInvalid(
                () -> decisions.log("api", "t".repeat(201), "d", null, null, null),
                "title must be at most 200 characters, got 201");
        assertInvalid(
                () -> decisions.log("api", "t\u0000", "d", null, null, null), "title must not contain NUL characters");
        assertInvalid(
                () -> decisions.log("api", "t", null, null, null, null),
                "description is required and must not be blank");
        assertInvalid(
                () -> decisions.log("api", "t", "d".repeat(10_001), null, null, null),
                "description must be at most 10000 characters, got 10001");
        assertInvalid(
                () -> decisions.log("api", "t", "d", "galaxy", null, null),
                "scope must be one of file, module, service, system, got \"galaxy\"");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tooMany.add("tag" + i);
        }
        assertInvalid(() -> decisions.log("api", "t", "d", null, tooMany, null), "at most 20 tags, got 21");
        assertInvalid(
                () -> decisions.log("api", "t", "d", null, List.of("ok", " "), null),
                "each tag is required and must not be blank");
        assertInvalid(
                () -> decisions.log("api", "t", "d", null, List.of("x".repeat(51)), null),
                "each tag must be at most 50 characters, got 51");
        assertInvalid(
                () -> decisions.log("api", "t", "d", null, null, "decision 1"),
                "supersedes must be a decision id like DEC-20260108-0001, got \"decision 1\"");
    }

    @Test
    void logNormalizesWhatItAccepts() {
        Decision d = decisions.log(" API ", "  Use JWT  ", " 15 min ", "Service", List.of("Auth", "auth", "JWT"), null);

        assertThat(d.id()).isEqualTo("DEC-20261121-0001");
        assertThat(d.category()).isEqualTo("api");
        assertThat(d.title()).isEqualTo("Use JWT");
        assertThat(d.description()).isEqualTo("15 min");
        assertThat(d.scope()).isEqualTo("service");
        assertThat(d.tags()).containsExactly("auth", "jwt");
        assertThat(d.author()).isEqualTo("claude-me");
        assertThat(d.authorTask()).isEqualTo("task of claude-me");
        assertThat(d.createdAt()).isEqualTo(f.clock.instant());
    }

    @Test
    void supersedingAnUnknownDecisionIsNotFound() {
        assertRefused(
                () -> decisions.log("api", "t", "d", null, null, "DEC-20261121-0001"),
                ErrorCode.NOT_FOUND,
                "supersedes names DEC-20261121-0001, which is not in the decision log; query_decisions lists the"
                        + " existing ids");
        Decision first = log("first");
        Decision second = decisions.log("api", "second", "d", null, null, " " + first.id() + " ");
        assertThat(second.supersedes()).isEqualTo(first.id());
        assertThat(decisions.supersededBy(List.of(first.id(), second.id()))).isEqualTo(Map.of(first.id(), second.id()));
        assertThat(decisions.supersededBy(List.of())).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------ query

    @Test
    void queryByIdAloneOrWithFilters() {
        Decision d = log("one");
        assertThat(decisions.query(d.id(), null, null, null, null).decisions()).containsExactly(d);
        assertThat(decisions.query(" " + d.id() + " ", null, null, null, 5).decisions())
                .containsExactly(d);
        String both = "give id alone, or filters (category, text, since), not both";
        assertRefused(() -> decisions.query(d.id(), "api", null, null, null), ErrorCode.INVALID_ARGUMENT, both);
        assertRefused(() -> decisions.query(d.id(), null, "one", null, null), ErrorCode.INVALID_ARGUMENT, both);
        assertRefused(() -> decisions.query(d.id(), null, null, "7d", null), ErrorCode.INVALID_ARGUMENT, both);
        assertRefused(
                () -> decisions.query("DEC-1", null, null, null, null),
                ErrorCode.INVALID_ARGUMENT,
                "id must look like DEC-20260108-0001, got \"DEC-1\"");
        assertRefused(
                () -> decisions.query("DEC-20261121-0099", null, null, null, null),
                ErrorCode.NOT_FOUND,
                "no decision DEC-20261121-0099 in the log");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 101})
    void limitOutOfRange(int limit) {
        assertRefused(
                () -> decisions.query(null, null, null, null, limit),
                ErrorCode.INVALID_ARGUMENT,
                "limit must be between 1 and 100, got " + limit);
    }

    @Test
    void textLongerThan200IsRefused() {
        assertRefused(
                () -> decisions.query(null, null, "w".repeat(201), null, null),
                ErrorCode.INVALID_ARGUMENT,
                "text must be at most 200 characters, got 201");
    }

    @Test
    void queryFiltersAndLimits() {
        for (int i = 1; i <= 25; i++) {
            decisions.log(i % 2 == 0 ? "db" : "api", "decision " + i, "about thing" + i, null, null, null);
        }
        assertThat(decisions.query(null, null, null, null, null).decisions())
                .hasSize(QueryDecisionsTool.DEFAULT_LIMIT)
                .first()
                .extracting(Decision::title)
                .isEqualTo("decision 25");
        assertThat(decisions.query(null, "DB", null, null, 3).decisions())
                .extracting(Decision::title)
                .containsExactly("decision 24", "decision 22", "decision 20");
        assertThat(decisions.query(null, null, "thing7", null, null).decisions())
                .extracting(Decision::title)
                .containsExactly("decision 7");
    }

    /** Decisions logged 3 weeks, 8 days, 2 days, 5 hours, 40 minutes and 10 minutes before the query. */
    private void logAges() {
        List<Duration> ages = List.of(
                Duration.ofDays(21),
                Duration.ofDays(8),
                Duration.ofDays(2),
                Duration.ofHours(5),
                Duration.ofMinutes(40),
                Duration.ofMinutes(10));
        f.clock.advance(Duration.ofDays(30));
        var queryTime = f.clock.instant();
        for (Duration age : ages) {
            f.clock.set(queryTime.minus(age));
            log("age " + age);
        }
        f.clock.set(queryTime);
    }

    @ParameterizedTest(name = "since {0}")
    @CsvSource({
        "30m, 1",
        "30 M, 1",
        "24h, 3",
        "7d, 4",
        "2w, 5",
        "2026-12-13T11:00:00Z, 4",
        "2026-12-13T11:00:00+02:00, 5",
        "2026-12-19, 4",
        "2026-12-21, 3",
        "2026-12-22, 0",
    })
    void sinceAcceptsAgesInstantsAndDates(String since, int expected) {
        logAges();
        // the query runs at 2026-12-21T10:00:00Z
        assertThat(f.clock.instant()).hasToString("2026-12-21T10:00:00Z");
        assertThat(decisions.query(null, null, null, since, 100).decisions()).hasSize(expected);
    }

    @ParameterizedTest(name = "since \"{0}\"")
    @ValueSource(strings = {"yesterday", "1y", "-5m", "30", "m", "2026-13-45", "21/12/2026", "1234567h"})
    void sinceGarbageIsInvalid(String since) {
        assertRefused(
                () -> decisions.query(null, null, null, since, null),
                ErrorCode.INVALID_ARGUMENT,
                "since must be an ISO-8601 time (2026-11-21T10:00:00Z), a date (2026-11-21) or an age such as 30m, 24h,"
                        + " 7d; got \"" + since + "\"");
    }

    @Test
    void queryReportsNoticesForTheCaller() {
        LockService me = f.locks(mine);
        me.acquire(List.of("a.txt"), LockMode.EXCLUSIVE, Duration.ofSeconds(10), null, Duration.ZERO);
        f.clock.advance(Duration.ofSeconds(11));

        DecisionService.DecisionsResult first = decisions.query(null, null, null, null, null);
        DecisionService.DecisionsResult second = decisions.query(null, null, null, null, null);

        assertThat(first.notices()).extracting(Notice::kind).containsExactly(Notice.Kind.EXPIRED);
        assertThat(second.notices()).isEmpty();
    }
}
