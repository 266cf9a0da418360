package dev.aidetect.router.streams;

import static dev.aidetect.router.streams.RouterDriver.single;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;

/** The routes a case takes through the stages, and where it ends, for each stage configuration. */
class CaseRoutingTest {
    private RouterDriver router = new RouterDriver();

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Test
    void realImageEndsDecidedRealRightAfterDetection() {
        router.submit("img-1").embed("img-1").detect("img-1", "REAL");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.REAL);
        assertThat(verdict.getScore()).isEqualTo(0.1);
        assertThat(verdict.getFamily()).isNull();
        assertThat(verdict.getPath()).extracting(StageVerdict::getStage).containsExactly(Stage.DETECTION);
        assertThat(verdict.getLatencyMillis()).isEqualTo(Records.SUBMITTED_BEFORE_START_MILLIS);
        assertThat(verdict.getFinalizedAt()).isEqualTo(Records.START);
        assertThat(verdict.getSource()).isEqualTo("router-test");
        assertThat(verdict.getAttributes()).containsEntry("uploader", "alice");
        assertThat(verdict.getLabel().getGenerator()).isEqualTo("stylegan2");
        assertThat(verdict.getEncodedBy()).as("the encoder behind the vector the stages judged")
                .isEqualTo(Records.ENCODER);
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();
    }

    @Test
    void fakeImageIsAskedForItsFamilyWithTheVectorThenForItsGeneratorWithTheReferenceToItsPixels() {
        router.submit("img-2").embed("img-2").detect("img-2", "FAKE");

        StageRequest familyRequest = single(router.requests(Topics.FAMILY_REQUESTS));
        assertThat(familyRequest.getStage()).isEqualTo(Stage.FAMILY);
        assertThat(familyRequest.getVector()).isEqualTo(Records.VECTOR);
        assertThat(familyRequest.getEncodedBy()).isEqualTo(Records.ENCODER);
        assertThat(familyRequest.getImage()).isNull();
        assertThat(familyRequest.getOriginal()).isNull();
        assertThat(router.finals()).isEmpty();

        router.classifyFamily("img-2", "gan");

        StageRequest attributionRequest = single(router.requests(Topics.GAN_ATTRIBUTION_REQUESTS));
        assertThat(attributionRequest.getStage()).isEqualTo(Stage.ATTRIBUTION);
        assertThat(attributionRequest.getFamily()).isEqualTo("gan");
        assertThat(attributionRequest.getOriginal()).isEqualTo(Records.ORIGINAL);
        assertThat(attributionRequest.getImage()).as("no request carries image bytes").isNull();
        assertThat(attributionRequest.getLabel().getGenerator()).isEqualTo("stylegan2");
        assertThat(router.requests(Topics.DIFFUSION_ATTRIBUTION_REQUESTS)).isEmpty();

        router.attribute("img-2", "stylegan2");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.FAKE);
        assertThat(verdict.getFamily()).isEqualTo("gan");
        assertThat(verdict.getGenerator()).isEqualTo("stylegan2");
        assertThat(verdict.getPath()).extracting(StageVerdict::getStage)
                .containsExactly(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);
        assertThat(verdict.getEncodedBy()).isEqualTo(Records.ENCODER);
    }

    @Test
    void diffusionFamilyVerdictInAnyCaseGoesToTheDiffusionAttributionStage() {
        router.submit("img-3").embed("img-3").detect("img-3", "fake").classifyFamily("img-3", "DIFFUSION");

        assertThat(single(router.requests(Topics.DIFFUSION_ATTRIBUTION_REQUESTS)).getFamily()).isEqualTo("diffusion");
        assertThat(router.requests(Topics.GAN_ATTRIBUTION_REQUESTS)).isEmpty();
    }

    @Test
    void detectionOnlyConfigurationEndsAFakeCaseAtDetection() {
        router.close();
        router = new RouterDriver(RouterSettings.defaults().withStages(Stage.DETECTION));

        router.submit("img-4").embed("img-4").detect("img-4", "FAKE");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.FAKE);
        assertThat(verdict.getFamily()).isNull();
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();
    }

    @Test
    void detectionAndFamilyConfigurationEndsAtTheFamilyVerdictWithoutAttribution() {
        router.close();
        router = new RouterDriver(RouterSettings.defaults().withStages(Stage.DETECTION, Stage.FAMILY));

        router.submit("img-5").embed("img-5").detect("img-5", "FAKE").classifyFamily("img-5", "gan");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getFamily()).isEqualTo("gan");
        assertThat(verdict.getGenerator()).isNull();
        assertThat(router.requests(Topics.GAN_ATTRIBUTION_REQUESTS)).isEmpty();
    }

    @Test
    void detectionAndAttributionConfigurationSendsFakesStraightToTheConfiguredFamilysAttributionStage() {
        router.close();
        router = new RouterDriver(RouterSettings.defaults().withAttributionFamily("diffusion")
                .withStages(Stage.DETECTION, Stage.ATTRIBUTION));

        router.submit("img-10").embed("img-10").detect("img-10", "FAKE");

        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();
        StageRequest request = single(router.requests(Topics.DIFFUSION_ATTRIBUTION_REQUESTS));
        assertThat(request.getFamily()).isEqualTo("diffusion");
        assertThat(request.getOriginal()).isEqualTo(Records.ORIGINAL);

        router.attribute("img-10", "sd-1.4");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getGenerator()).isEqualTo("sd-1.4");
        assertThat(verdict.getFamily()).as("no stage decided the family").isNull();
        assertThat(verdict.getPath()).extracting(StageVerdict::getStage)
                .containsExactly(Stage.DETECTION, Stage.ATTRIBUTION);
    }

    @Test
    void familyRequestCarriesTheReferenceToThePixelsTooWhenConfiguredAndWaitsForTheSubmissionToHaveIt() {
        router.close();
        router = new RouterDriver(RouterSettings.defaults().withFamilyRequestImage(true));

        router.embed("img-8").detect("img-8", "FAKE");
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).as("no pixels yet").isEmpty();
        router.submit("img-8");

        StageRequest familyRequest = single(router.requests(Topics.FAMILY_REQUESTS));
        assertThat(familyRequest.getVector()).isEqualTo(Records.VECTOR);
        assertThat(familyRequest.getOriginal()).isEqualTo(Records.ORIGINAL);
        assertThat(familyRequest.getImage()).isNull();
    }

    @Test
    void familyRequestCarriesNoImageByDefaultEvenWhenTheSubmissionCameFirst() {
        router.submit("img-9").embed("img-9").detect("img-9", "FAKE");

        StageRequest familyRequest = single(router.requests(Topics.FAMILY_REQUESTS));
        assertThat(familyRequest.getOriginal()).isNull();
        assertThat(familyRequest.getImage()).isNull();
    }

    @Test
    void familyVerdictNamingNoKnownFamilyEndsTheCaseRejectedByRouting() {
        router.submit("img-6").embed("img-6").detect("img-6", "FAKE").classifyFamily("img-6", "vae");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.REJECTED);
        assertThat(verdict.getRejection().getStage()).isEqualTo(Stage.ROUTING);
        assertThat(verdict.getRejection().getReason()).isEqualTo(RejectReason.OTHER);
        assertThat(verdict.getRejection().getMessage()).contains("'vae'", "[gan, diffusion]");
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.FAKE);
        assertThat(verdict.getPath()).hasSize(2);
    }

    @Test
    void detectionVerdictNeitherRealNorFakeEndsTheCaseRejectedByRouting() {
        router.submit("img-7").detect("img-7", "MAYBE");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.REJECTED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.UNKNOWN);
        assertThat(verdict.getRejection().getMessage()).contains("'MAYBE'", "REAL nor FAKE");
    }
}
