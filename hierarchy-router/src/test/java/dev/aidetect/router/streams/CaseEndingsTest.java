package dev.aidetect.router.streams;

import static dev.aidetect.router.streams.RouterDriver.single;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

/** Cases that end without a decision: a stage rejected the input, or a stage did not answer in time. */
class CaseEndingsTest {
    private static final Duration TIMEOUT = RouterSettings.defaults().stageTimeout();
    private static final Duration TICK = RouterSettings.defaults().punctuateInterval();

    private final RouterDriver router = new RouterDriver();

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Test
    void rejectionOfASubmittedImageEndsItRejectedWithTheReason() {
        router.submit("img-1").reject("img-1", Stage.EMBEDDING, RejectReason.TOO_MANY_PIXELS, "40000x40000 is too big");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.REJECTED);
        assertThat(verdict.getRejection().getStage()).isEqualTo(Stage.EMBEDDING);
        assertThat(verdict.getRejection().getReason()).isEqualTo(RejectReason.TOO_MANY_PIXELS);
        assertThat(verdict.getRejection().getMessage()).isEqualTo("40000x40000 is too big");
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.UNKNOWN);
        assertThat(verdict.getLatencyMillis()).isEqualTo(Records.SUBMITTED_BEFORE_START_MILLIS);
        assertThat(verdict.getSource()).isEqualTo("router-test");
    }

    @Test
    void rejectionWithoutASubmissionEndsRejectedWithUnknownLatencyAndTheRejectionsLabel() {
        router.reject("img-2", Stage.INGEST, RejectReason.BAD_RECORD, "not an ImageSubmitted");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.REJECTED);
        assertThat(verdict.getLatencyMillis()).isEqualTo(-1);
        assertThat(verdict.getLabel().getDataset()).isEqualTo("unit");
        assertThat(router.openCases).hasValue(0);
    }

    @Test
    void rejectionByALaterStageKeepsWhatTheRouteDecidedSoFar() {
        router.submit("img-3").embed("img-3").detect("img-3", "FAKE").classifyFamily("img-3", "gan")
                .reject("img-3", Stage.ATTRIBUTION, RejectReason.CORRUPT, "truncated png");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.REJECTED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.FAKE);
        assertThat(verdict.getFamily()).isEqualTo("gan");
        assertThat(verdict.getPath()).extracting(StageVerdict::getStage).containsExactly(Stage.DETECTION, Stage.FAMILY);
    }

    @Test
    void caseWaitingLongerThanTheStageTimeoutEndsTimedOutNamingTheSilentStage() {
        router.submit("img-4").embed("img-4").detect("img-4", "FAKE");

        router.advance(TIMEOUT.minus(TICK));
        assertThat(router.finals()).isEmpty();
        router.advance(TICK);

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.TIMED_OUT);
        assertThat(verdict.getWaitingFor()).isEqualTo(Stage.FAMILY);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.FAKE);
        assertThat(verdict.getPath()).extracting(StageVerdict::getStage).containsExactly(Stage.DETECTION);
        assertThat(verdict.getFinalizedAt()).isEqualTo(Records.START.plus(TIMEOUT));
        assertThat(verdict.getLatencyMillis()).isEqualTo(TIMEOUT.toMillis() + Records.SUBMITTED_BEFORE_START_MILLIS);
    }

    @Test
    void eachStageGetsTheWholeTimeoutFromWhenTheCaseStartedWaitingForIt() {
        router.submit("img-5");
        router.advance(TIMEOUT.minus(TICK.multipliedBy(10)));
        router.embed("img-5");

        router.advance(TIMEOUT.minus(TICK));
        assertThat(router.finals()).isEmpty();
        router.advance(TICK.multipliedBy(10));

        assertThat(single(router.finals()).getWaitingFor()).isEqualTo(Stage.DETECTION);
    }

    @Test
    void submissionThatNeverGetsEmbeddedTimesOutWaitingForTheEmbedding() {
        router.submit("img-6").advance(TIMEOUT);

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getWaitingFor()).isEqualTo(Stage.EMBEDDING);
        assertThat(verdict.getPath()).isEmpty();
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.UNKNOWN);
        assertThat(verdict.getEncodedBy()).as("never embedded: no encoder to name").isNull();
    }

    @Test
    void strayVerdictWithoutASubmissionTimesOutWaitingForIngestWithUnknownLatency() {
        router.detect("img-7", "REAL").advance(TIMEOUT);

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.TIMED_OUT);
        assertThat(verdict.getWaitingFor()).isEqualTo(Stage.INGEST);
        assertThat(verdict.getLatencyMillis()).isEqualTo(-1);
        assertThat(verdict.getPath()).extracting(StageVerdict::getStage).containsExactly(Stage.DETECTION);
    }
}
