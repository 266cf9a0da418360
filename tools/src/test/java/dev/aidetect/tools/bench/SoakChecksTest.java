package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SoakChecksTest {
    private static final String ROUTER = "aidetect-router";

    @Test
    void passesASteadyRunOnEveryCheck() {
        // given a warm-up and three steady intervals: lag small, memory within a few percent, p99 alike
        List<SoakInterval> run = List.of(interval(1, true, 30, 600, 900), interval(2, false, 20, 620, 950),
                interval(3, false, 40, 610, 920), interval(4, false, 25, 630, 980));

        // when
        List<SoakChecks.Check> checks = SoakChecks.judge(run, new SoakChecks.Finals(1000, 0, 0, Map.of()));

        // then
        assertThat(checks).extracting(SoakChecks.Check::name).containsExactly("lag bounded", "RSS flat",
                "p99 stable", "one final each");
        assertThat(checks).allSatisfy(check -> assertThat(check.passed()).as(check.toString()).isTrue());
        assertThat(checks.get(1).detail()).contains("router 600 MB +5.0%");
    }

    @Test
    void failsLagThatGrowsInEveryIntervalEvenUnderItsBound() {
        // given a router consuming 40 records/s (bound 400, growth margin 200) whose highest lag rises 100, 250, 390
        List<SoakInterval> run = List.of(interval(1, true, 30, 600, 900), interval(2, false, 100, 600, 900),
                interval(3, false, 250, 600, 900), interval(4, false, 390, 600, 900));

        // when
        SoakChecks.Check lag = SoakChecks.lag(run.subList(1, 4));

        // then
        assertThat(lag.passed()).isFalse();
        assertThat(lag.detail()).contains("router grew in every interval: [100, 250, 390]");
    }

    @Test
    void failsLagOverTenSecondsOfConsumption() {
        // given 40 records/s consumed: 10 s of it is 400 records
        SoakChecks.Check lag = SoakChecks.lag(List.of(interval(2, false, 450, 600, 900),
                interval(3, false, 100, 600, 900)));

        assertThat(lag.passed()).isFalse();
        assertThat(lag.detail()).contains("router reached 450 records, over 10 s of its consumption (400)");
    }

    @Test
    void failsMemoryThatGrowsOverTenPercentOfTheWarmUpValue() {
        // given the router at 600 MB after the warm-up and 670 MB later (+11.7%)
        List<SoakInterval> run = List.of(interval(1, true, 30, 600, 900), interval(2, false, 30, 640, 900),
                interval(3, false, 30, 670, 900));

        SoakChecks.Check rss = SoakChecks.rss(run.subList(1, 3), run.getFirst(), 10);

        assertThat(rss.passed()).isFalse();
        assertThat(rss.detail()).contains("router 600 MB +11.7% (over 10%)");
        assertThat(SoakChecks.rss(run.subList(1, 3), run.getFirst(), 20).passed()).isTrue();
    }

    @Test
    void failsAP99ThatDoublesAndAnIntervalWithoutFinals() {
        // given p99 900 ms in the first judged interval: the limit is 2 x 900 + 500 = 2300 ms
        SoakInterval first = interval(2, false, 30, 600, 900);
        SoakInterval slow = interval(3, false, 30, 600, 2400);
        SoakInterval empty = new SoakInterval(4, false, 60, 100, 0, Double.NaN, Double.NaN, Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of());

        SoakChecks.Check p99 = SoakChecks.p99(List.of(first, slow, empty));

        assertThat(p99.passed()).isFalse();
        assertThat(p99.detail()).contains("interval 3: 2400 ms, over 2.0 x 900 + 500 = 2300 ms")
                .contains("no final verdict arrived in interval 4");
    }

    @Test
    void failsMissingDuplicateAndTimedOutFinals() {
        assertThat(SoakChecks.finals(new SoakChecks.Finals(100, 1, 0, Map.of())).passed()).isFalse();
        assertThat(SoakChecks.finals(new SoakChecks.Finals(100, 0, 1, Map.of())).passed()).isFalse();
        SoakChecks.Check timedOut = SoakChecks.finals(new SoakChecks.Finals(100, 0, 0, Map.of("TIMED_OUT", 2)));
        assertThat(timedOut.passed()).isFalse();
        assertThat(timedOut.detail()).isEqualTo("100 images: 0 without a final, 0 second finals, 2 not DECIDED "
                + "{TIMED_OUT=2}");
    }

    /** An interval of the router group consuming 40 records/s, with one service process, the router. */
    private static SoakInterval interval(int number, boolean warmUp, long lagMax, double rssMb, double p99Ms) {
        return new SoakInterval(number, warmUp, 60, 600, 600, p99Ms / 3, p99Ms, Map.of(ROUTER, lagMax),
                Map.of(ROUTER, lagMax / 2), Map.of(ROUTER, 40.0),
                Map.of("router", new SoakInterval.Range(rssMb * 0.98, rssMb, rssMb)), Map.of("router", 200.0));
    }

    @Test
    void printsGroupsWithoutTheProjectPrefixOrAnInstanceSuffix() {
        assertThat(SoakChecks.shortName("aidetect-classifier-family")).isEqualTo("classifier-family");
        assertThat(SoakChecks.shortName("aidetect-router-final-stream-666d5f7f-4bf1-40fc-95a3-dc2ff5b922ca"))
                .isEqualTo("router-final-stream");
    }
}
