package dev.aidetect.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import dev.aidetect.router.streams.Records;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejection;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

class RouterMetricsTest {
    private static final Instant SUBMITTED = Instant.parse("2026-01-01T00:00:00Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RouterMetrics metrics = new RouterMetrics(registry, 3, 2);

    @Test
    void timesEachStageFromTheVerdictThatRequestedItAndTheWholeCaseAsAHistogram() {
        // given a FAKE case decided 400 ms, 1 s and 3 s after its submission
        FinalVerdict verdict = finalVerdict(FinalStatus.DECIDED, List.of(stage(Stage.DETECTION, 400),
                stage(Stage.FAMILY, 1_000), stage(Stage.ATTRIBUTION, 3_000)), 3_100);

        // when it is published
        metrics.finalized(verdict);

        // then detection took 400 ms from submission, family 600 ms and attribution 2 s from the verdict before
        assertThat(stageMillis(Stage.DETECTION)).isEqualTo(400);
        assertThat(stageMillis(Stage.FAMILY)).isEqualTo(600);
        assertThat(stageMillis(Stage.ATTRIBUTION)).isEqualTo(2_000);
        var latency = registry.get("aidetect.router.latency").tag("status", "DECIDED").timer();
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3_100);
        assertThat(registry.scrape()).as("histograms for histogram_quantile")
                .contains("aidetect_router_latency_seconds_bucket{status=\"DECIDED\",le=")
                .contains("aidetect_router_stage_latency_seconds_bucket{stage=\"FAMILY\",le=");
    }

    @Test
    void tagsATimedOutFinalWithTheStageItWaitedForAndOthersWithNone() {
        // given a case that timed out waiting for attribution, and one decided
        FinalVerdict timedOut = finalVerdict(FinalStatus.TIMED_OUT, List.of(stage(Stage.DETECTION, 400)), 60_000);
        timedOut.setWaitingFor(Stage.ATTRIBUTION);
        FinalVerdict decided = finalVerdict(FinalStatus.DECIDED, List.of(stage(Stage.DETECTION, 400)), 500);

        // when both are published
        metrics.finalized(timedOut);
        metrics.finalized(decided);

        // then the counter tells them apart by waiting_for
        assertThat(registry.get("aidetect.router.finals").tags("status", "TIMED_OUT", "waiting_for", "ATTRIBUTION")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("aidetect.router.finals").tags("status", "DECIDED", "waiting_for", "none")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void countsUncertainFinalsApartFromRealAndFake() {
        // given a case decided UNCERTAIN (its detection score within the band) and one decided FAKE
        FinalVerdict uncertain = finalVerdict(FinalStatus.DECIDED, List.of(stage(Stage.DETECTION, 400)), 500);
        uncertain.setAuthenticity(Authenticity.UNCERTAIN);
        FinalVerdict fake = finalVerdict(FinalStatus.DECIDED, List.of(stage(Stage.DETECTION, 400)), 500);

        // when both are published
        metrics.finalized(uncertain);
        metrics.finalized(fake);

        // then the dashboards can tell them apart
        assertThat(registry.get("aidetect.router.finals").tags("status", "DECIDED", "authenticity", "UNCERTAIN")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("aidetect.router.finals").tags("status", "DECIDED", "authenticity", "FAKE")
                .counter().count()).isEqualTo(1);
        assertThat(registry.scrape()).contains("aidetect_router_finals_total{authenticity=\"UNCERTAIN\"");
    }

    @Test
    void tagsARejectedFinalWithItsReasonAndTheStageThatRefusedIt() {
        // given a case the router itself could not route, and one decided
        FinalVerdict unroutable = finalVerdict(FinalStatus.REJECTED, List.of(stage(Stage.DETECTION, 400)), 500);
        unroutable.setRejection(Rejection.newBuilder().setStage(Stage.ROUTING).setReason(RejectReason.OTHER)
                .setMessage("detection verdict 'MAYBE' is neither REAL nor FAKE").build());
        FinalVerdict decided = finalVerdict(FinalStatus.DECIDED, List.of(stage(Stage.DETECTION, 400)), 500);

        // when both are published
        metrics.finalized(unroutable);
        metrics.finalized(decided);

        // then the rejection is counted by its reason and stage, the decided case with none of either
        assertThat(registry.get("aidetect.router.finals")
                .tags("status", "REJECTED", "reason", "OTHER", "rejected_by", "ROUTING").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("aidetect.router.finals")
                .tags("status", "DECIDED", "reason", "none", "rejected_by", "none").counter().count()).isEqualTo(1);
    }

    @Test
    void tagsFinalsWithSourceAndRunKeepingOnlyTheRunsSeenMostRecently() {
        // given finals of runs a, b, a, then c, with two runs kept; and a final of no run from no source
        for (String run : List.of("a", "b", "a", "c")) {
            FinalVerdict verdict = finalVerdict(FinalStatus.DECIDED, List.of(stage(Stage.DETECTION, 400)), 500);
            verdict.setSource("replay:" + run);
            verdict.setAttributes(Map.of("run", run));
            metrics.finalized(verdict);
        }
        metrics.finalized(finalVerdict(FinalStatus.DECIDED, List.of(stage(Stage.DETECTION, 400)), 500));

        // then a (seen again) and c are counted by run and source; b, seen longest ago, was dropped; no run is none
        assertThat(registry.get("aidetect.router.finals").tags("run", "a", "source", "replay:a").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("aidetect.router.finals").tags("run", "c", "source", "replay:c").counter().count())
                .isEqualTo(1);
        assertThat(registry.find("aidetect.router.finals").tag("run", "b").counters()).isEmpty();
        assertThat(registry.get("aidetect.router.finals").tags("run", "none", "source", "none").counter().count())
                .isEqualTo(1);
        assertThat(registry.scrape()).doesNotContain("run=\"b\"");
    }

    @Test
    void countsOpenedCasesApartFromTheOpenGauge() {
        // given two cases opened, one of them since finished
        metrics.caseOpened();
        metrics.caseOpened();
        metrics.openCasesChanged(2);
        metrics.openCasesChanged(-1);

        // then two were opened and one is open
        assertThat(registry.get("aidetect.router.cases.opened").counter().count()).isEqualTo(2);
        assertThat(registry.get("aidetect.router.cases.open").gauge().value()).isEqualTo(1);
    }

    @Test
    void recordsNoLatencyForACaseWhoseSubmissionWasNeverSeen() {
        // given a rejection for an image the router never saw submitted
        FinalVerdict orphan = finalVerdict(FinalStatus.REJECTED, List.of(), -1);

        // when it is published
        metrics.finalized(orphan);

        // then it is counted but not timed
        assertThat(registry.get("aidetect.router.finals").tag("status", "REJECTED").counter().count()).isEqualTo(1);
        assertThat(registry.find("aidetect.router.latency").timers()).isEmpty();
    }

    private double stageMillis(Stage stage) {
        return registry.get("aidetect.router.stage.latency").tag("stage", stage.name()).timer()
                .totalTime(TimeUnit.MILLISECONDS);
    }

    private static StageVerdict stage(Stage stage, long millisAfterSubmission) {
        StageVerdict verdict = Records.verdict("img", stage, "x", 0.9);
        verdict.setDecidedAt(SUBMITTED.plusMillis(millisAfterSubmission));
        return verdict;
    }

    private static FinalVerdict finalVerdict(FinalStatus status, List<StageVerdict> path, long latencyMillis) {
        return FinalVerdict.newBuilder().setImageId("img").setStatus(status).setAuthenticity(Authenticity.FAKE)
                .setPath(path).setSubmittedAt(SUBMITTED)
                .setFinalizedAt(SUBMITTED.plus(Duration.ofMillis(Math.max(latencyMillis, 0))))
                .setLatencyMillis(latencyMillis).build();
    }
}
