package dev.aidetect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void thePauseCapDoublesFromTheInitialBackoffUpToTheMax() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMinutes(1));

        assertThat(policy.backoffCap(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoffCap(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoffCap(4)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.backoffCap(5)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoffCap(60)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void allowsAtMostMaxAttemptsEachAfterAPauseOfHalfToAllOfItsCap() {
        // given
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMinutes(1));
        RetryPolicy.Attempts attempts = policy.start();

        // when
        long before = System.nanoTime();
        boolean second = attempts.pauseBeforeNext();
        Duration firstPause = Duration.ofNanos(System.nanoTime() - before);
        boolean third = attempts.pauseBeforeNext();
        boolean fourth = attempts.pauseBeforeNext();

        // then
        assertThat(second).isTrue();
        assertThat(third).isTrue();
        assertThat(fourth).as("no fourth attempt under maxAttempts 3").isFalse();
        assertThat(attempts.made()).isEqualTo(3);
        assertThat(firstPause).isBetween(Duration.ofMillis(20), Duration.ofMillis(20 + 1000));
        assertThat(attempts.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(20 + 40));
    }

    @Test
    void startsNoAttemptThatWouldBeginAfterTheTotalTime() {
        RetryPolicy policy = new RetryPolicy(100, Duration.ofMillis(60), Duration.ofMillis(60), Duration.ofMillis(100));
        RetryPolicy.Attempts attempts = policy.start();

        while (attempts.pauseBeforeNext()) {
            assertThat(attempts.elapsed()).isLessThanOrEqualTo(Duration.ofMillis(100 + 1000));
        }

        assertThat(attempts.made()).as("pauses of 30-60 ms within 100 ms").isBetween(2, 4);
    }

    @Test
    void oneAttemptIsNeverRetried() {
        RetryPolicy once = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1));

        assertThat(once.start().pauseBeforeNext()).isFalse();
    }

    @Test
    void anInterruptedPauseEndsTheRetriesAndKeepsTheInterrupt() {
        RetryPolicy.Attempts attempts = new RetryPolicy(5, Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofMinutes(1)).start();
        Thread.currentThread().interrupt();

        try {
            assertThat(attempts.pauseBeforeNext()).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void refusesSettingsThatCannotPaceAnything() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("attempts must be at least 1");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("must not be shorter than the first");
    }
}
