package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RateWindowTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void timesOnlyTheProgressAfterTheWarmUp() {
        // given a warm-up of 10 results and 40 in all
        RateWindow window = new RateWindow(10, 40, null);

        // when 10 results come in the first 20 s (start-up), then 30 in the next 10 s
        window.advance(0, 0);
        window.advance(20 * SECOND, 10);
        window.advance(25 * SECOND, 25);
        window.advance(30 * SECOND, 40);

        // then the rate is 30 results over 10 s, not 40 over 30 s
        assertThat(window.closed()).isTrue();
        assertThat(window.seconds()).isEqualTo(10.0);
        assertThat(window.rate()).isEqualTo(3.0);
    }

    @Test
    void opensAtTheFirstProgressPastTheWarmUpMarkAndCountsFromThere() {
        RateWindow window = new RateWindow(10, 40, null);

        window.advance(SECOND, 12);
        window.advance(5 * SECOND, 40);

        assertThat(window.progressInside()).isEqualTo(28.0);
        assertThat(window.rate()).isEqualTo(7.0);
    }

    @Test
    void closesWhenTheLongestWindowHasPassedWithTheProgressMadeUntilThen() {
        // given a window of at most 10 s
        RateWindow window = new RateWindow(0, 1000, Duration.ofSeconds(10));

        // when 50 results come in the first 9 s and the next call comes at 12 s
        window.advance(0, 0);
        window.advance(9 * SECOND, 50);
        window.advance(12 * SECOND, 70);

        // then the window is 10 s long and holds the 50 results seen before it ended
        assertThat(window.closed()).isTrue();
        assertThat(window.seconds()).isEqualTo(10.0);
        assertThat(window.rate()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void hasNoRateWhileOpen() {
        RateWindow window = new RateWindow(0, 10, null);

        window.advance(0, 5);

        assertThat(window.opened()).isTrue();
        assertThat(window.closed()).isFalse();
        assertThat(window.rate()).isNaN();
    }
}
