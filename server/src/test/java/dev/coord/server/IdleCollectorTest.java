package dev.coord.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleCollectorTest {
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger collections = new AtomicInteger();
    private final IdleCollector collector = new IdleCollector(requests::get, collections::incrementAndGet);

    @Test
    void aSessionThatNeverCallsIsNeverCollected() {
        for (int i = 0; i < 5; i++) {
            assertThat(collector.tick()).isFalse();
        }
        assertThat(collections).hasValue(0);
    }

    @Test
    void aBurstIsCollectedOnceAfterAWholeQuietPeriod() {
        requests.addAndGet(40);
        assertThat(collector.tick()).as("calls during the period: not idle yet").isFalse();
        assertThat(collector.tick())
                .as("a whole period without a call after the burst")
                .isTrue();
        assertThat(collector.tick()).as("still idle: once per burst").isFalse();
        assertThat(collector.tick()).isFalse();
        assertThat(collections).hasValue(1);
    }

    @Test
    void aSessionThatKeepsCallingIsNotCollectedUntilItStops() {
        for (int i = 0; i < 5; i++) {
            requests.incrementAndGet();
            assertThat(collector.tick()).isFalse();
        }
        assertThat(collections).hasValue(0);
        assertThat(collector.tick()).isTrue();
        requests.incrementAndGet();
        assertThat(collector.tick()).isFalse();
        assertThat(collector.tick()).as("the next burst is collected again").isTrue();
        assertThat(collections).hasValue(2);
    }

    @Test
    void aFailingCollectionDoesNotStopTheChecks() {
        AtomicInteger calls = new AtomicInteger();
        IdleCollector failing = new IdleCollector(requests::get, () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        });
        requests.incrementAndGet();
        failing.tick();
        assertThat(failing.tick()).isTrue();
        requests.incrementAndGet();
        failing.tick();
        assertThat(failing.tick()).isTrue();
        assertThat(calls).hasValue(2);
    }
}
