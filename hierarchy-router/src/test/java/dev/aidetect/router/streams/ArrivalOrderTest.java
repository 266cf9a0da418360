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

/** Records of one image reach the router in any order; the case waits for what it needs and ends once. */
class ArrivalOrderTest {
    private final RouterDriver router = new RouterDriver();

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Test
    void detectionVerdictBeforeTheSubmissionWaitsForTheSubmissionToEnd() {
        router.detect("img-1", "REAL");
        assertThat(router.finals()).isEmpty();

        router.submit("img-1");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.REAL);
        assertThat(verdict.getSource()).isEqualTo("router-test");
        assertThat(verdict.getLatencyMillis()).isEqualTo(Records.SUBMITTED_BEFORE_START_MILLIS);
    }

    @Test
    void embeddingAfterTheFakeVerdictSendsTheFamilyRequestOnlyOnceTheVectorIsThere() {
        router.submit("img-2").detect("img-2", "FAKE");
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();

        router.embed("img-2");

        assertThat(single(router.requests(Topics.FAMILY_REQUESTS)).getVector()).isEqualTo(Records.VECTOR);
        assertThat(router.finals()).isEmpty();
    }

    @Test
    void familyVerdictBeforeTheEmbeddingGoesStraightToAttributionWithoutAFamilyRequest() {
        router.submit("img-3").detect("img-3", "FAKE").classifyFamily("img-3", "gan");

        assertThat(single(router.requests(Topics.GAN_ATTRIBUTION_REQUESTS)).getFamily()).isEqualTo("gan");

        router.embed("img-3").attribute("img-3", "stylegan2");

        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();
        assertThat(single(router.finals()).getGenerator()).isEqualTo("stylegan2");
    }

    @Test
    void fakeCaseWithoutItsSubmissionAsksForTheFamilyButWaitsForThePixelsToAskForAttribution() {
        router.embed("img-4").detect("img-4", "FAKE");
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).hasSize(1);

        router.classifyFamily("img-4", "diffusion");
        assertThat(router.requests(Topics.DIFFUSION_ATTRIBUTION_REQUESTS)).isEmpty();

        router.submit("img-4");
        assertThat(single(router.requests(Topics.DIFFUSION_ATTRIBUTION_REQUESTS)).getOriginal())
                .isEqualTo(Records.ORIGINAL);
    }

    @Test
    void everyRecordInReverseOrderStillEndsInOneDecidedFinalWithTheWholePath() {
        router.attribute("img-5", "sd-1.4")
                .classifyFamily("img-5", "diffusion")
                .detect("img-5", "FAKE")
                .embed("img-5");
        assertThat(router.finals()).isEmpty();

        router.submit("img-5");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getFamily()).isEqualTo("diffusion");
        assertThat(verdict.getGenerator()).isEqualTo("sd-1.4");
        assertThat(verdict.getPath()).extracting(StageVerdict::getStage)
                .containsExactly(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();
        assertThat(router.requests(Topics.DIFFUSION_ATTRIBUTION_REQUESTS)).isEmpty();
    }
}
