package dev.aidetect.router.streams;

import static dev.aidetect.router.streams.RouterDriver.single;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;

/**
 * A detection score within the uncertain band around the detection threshold (0.5 in these records; the default band
 * 0.05) ends the case DECIDED and UNCERTAIN right after detection: no family or generator is asked for an image the
 * detector is not sure is fake.
 */
class UncertainDetectionTest {
    private RouterDriver router = new RouterDriver();

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Test
    void fakeJustAboveTheThresholdEndsUncertainWithoutFamilyOrAttribution() {
        router.submit("img-1").embed("img-1").detect("img-1", "FAKE", 0.53);

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.UNCERTAIN);
        assertThat(verdict.getScore()).isEqualTo(0.53);
        assertThat(verdict.getFamily()).isNull();
        assertThat(verdict.getGenerator()).isNull();
        assertThat(verdict.getPath()).extracting(StageVerdict::getStage).containsExactly(Stage.DETECTION);
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();
    }

    @Test
    void realJustBelowTheThresholdEndsUncertainToo() {
        router.submit("img-2").detect("img-2", "REAL", 0.46);

        assertThat(single(router.finals()).getAuthenticity()).isEqualTo(Authenticity.UNCERTAIN);
    }

    @Test
    void scoresBeyondTheBandKeepTheirDecision() {
        router.submit("fake").embed("fake").detect("fake", "FAKE", 0.56)
                .submit("real").detect("real", "REAL", 0.44);

        assertThat(single(router.requests(Topics.FAMILY_REQUESTS)).getImageId()).isEqualTo("fake");
        FinalVerdict real = single(router.finals());
        assertThat(real.getImageId()).isEqualTo("real");
        assertThat(real.getAuthenticity()).isEqualTo(Authenticity.REAL);
    }

    @Test
    void bandZeroNeverCallsAnImageUncertain() {
        router.close();
        router = new RouterDriver(RouterSettings.defaults().withUncertainBand(0));

        router.submit("img-3").embed("img-3").detect("img-3", "FAKE", 0.5001);

        assertThat(router.finals()).isEmpty();
        assertThat(single(router.requests(Topics.FAMILY_REQUESTS)).getImageId()).isEqualTo("img-3");
    }

    @Test
    void uncertainCaseWaitsForItsSubmissionLikeARealOneAndTimesOutUncertain() {
        router.detect("img-4", "FAKE", 0.5).embed("img-4");
        assertThat(router.finals()).isEmpty();
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();

        router.advance(RouterSettings.defaults().stageTimeout());

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.TIMED_OUT);
        assertThat(verdict.getWaitingFor()).isEqualTo(Stage.INGEST);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.UNCERTAIN);
    }
}
