package dev.aidetect.classifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.aidetect.classifier.InMemoryClassifierResource;
import dev.aidetect.classifier.Records;
import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.fixtures.SyntheticGenerators;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;

@QuarkusTest
@WithTestResource(InMemoryClassifierResource.class)
class AttributionConsumerTest {
    static final Map<String, List<BufferedImage>> FRESH = SyntheticGenerators.images(2, 96, 41);

    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void namesTheGeneratorOfAnImageFromItsFamilyNetwork() throws IOException {
        Outputs outputs = new Outputs(connector);
        BufferedImage image = FRESH.get(SyntheticGenerators.BLOCKY).getFirst();
        byte[] png = png(image);
        String expectedVersion;
        try (AttributionNetwork network = TrainedModels.ganNetwork()) {
            expectedVersion = network.version();
        }

        outputs.send(Channels.GAN_ATTRIBUTION_REQUESTS, Records.consumed(Channels.GAN_ATTRIBUTION_REQUESTS, "att-gan",
                Records.attributionRequest("att-gan", "gan", png)));

        StageVerdict verdict = outputs.<StageVerdict>awaitOne(Channels.ATTRIBUTION_VERDICTS, "att-gan").getPayload();
        assertThat(verdict.getStage()).isEqualTo(Stage.ATTRIBUTION);
        assertThat(verdict.getDecision()).isEqualTo(SyntheticGenerators.BLOCKY);
        assertThat(verdict.getScore()).isGreaterThanOrEqualTo(verdict.getThreshold());
        assertThat(verdict.getScores()).containsOnlyKeys(SyntheticGenerators.BLOCKY, SyntheticGenerators.SMOOTH);
        assertThat(verdict.getModel().getId()).isEqualTo("attribution-gan-resnet18");
        assertThat(verdict.getModel().getVersion()).isEqualTo(expectedVersion);
    }

    @Test
    void diffusionRequestsUseTheDiffusionNetwork() throws IOException {
        Outputs outputs = new Outputs(connector);
        byte[] png = png(FRESH.get(SyntheticGenerators.SMOOTH).getFirst());

        outputs.send(Channels.DIFFUSION_ATTRIBUTION_REQUESTS, Records.consumed(
                Channels.DIFFUSION_ATTRIBUTION_REQUESTS, "att-diffusion",
                Records.attributionRequest("att-diffusion", "diffusion", png)));

        StageVerdict verdict = outputs.<StageVerdict>awaitOne(Channels.ATTRIBUTION_VERDICTS, "att-diffusion")
                .getPayload();
        assertThat(verdict.getModel().getId()).isEqualTo("attribution-diffusion-resnet18");
        assertThat(verdict.getDecision()).isEqualTo(SyntheticGenerators.SMOOTH);
    }

    @Test
    void rejectsARequestThatNamesNoImageAsMissingContent() {
        Outputs outputs = new Outputs(connector);

        outputs.send(Channels.GAN_ATTRIBUTION_REQUESTS, Records.consumed(Channels.GAN_ATTRIBUTION_REQUESTS,
                "att-no-image", Records.attributionRequest("att-no-image", "gan", null)));

        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, "att-no-image").getPayload();
        assertThat(rejected.getStage()).isEqualTo(Stage.ATTRIBUTION);
        assertThat(rejected.getReason()).isEqualTo(RejectReason.MISSING_CONTENT);
        assertThat(rejected.getMessage()).contains("carries no image", "set original on attribution requests");
    }

    @Test
    void fetchesAUriOnlyFromAllowedHostsAndNamesTheSettingOtherwise() {
        Outputs outputs = new Outputs(connector);
        StageRequest request = Records.attributionRequest("att-uri", "gan", null);
        request.setImage(null);
        request.setOriginal(ImageRef.newBuilder().setUri("https://example.org/a.png").build());

        outputs.send(Channels.GAN_ATTRIBUTION_REQUESTS, Records.consumed(Channels.GAN_ATTRIBUTION_REQUESTS,
                "att-uri", request));

        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, "att-uri").getPayload();
        assertThat(rejected.getReason()).isEqualTo(RejectReason.FETCH_FAILED);
        assertThat(rejected.getMessage()).contains("example.org", "aidetect.classifier.fetch.allowed-hosts");
    }

    @Test
    void rejectsBytesThatAreNotAnImageWithTheDecodersReason() {
        Outputs outputs = new Outputs(connector);

        outputs.send(Channels.GAN_ATTRIBUTION_REQUESTS, Records.consumed(Channels.GAN_ATTRIBUTION_REQUESTS,
                "att-text", Records.attributionRequest("att-text", "gan", "hello, not a picture".getBytes())));

        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, "att-text").getPayload();
        assertThat(rejected.getReason()).isEqualTo(RejectReason.NOT_AN_IMAGE);
        assertThat(outputs.keyed(Channels.ATTRIBUTION_VERDICTS, "att-text")).isEmpty();
    }

    @Test
    void rejectsARequestForAnotherFamilyAsBadRecord() throws IOException {
        Outputs outputs = new Outputs(connector);
        byte[] png = png(FRESH.get(SyntheticGenerators.SMOOTH).getLast());

        outputs.send(Channels.GAN_ATTRIBUTION_REQUESTS, Records.consumed(Channels.GAN_ATTRIBUTION_REQUESTS,
                "att-misrouted", Records.attributionRequest("att-misrouted", "diffusion", png)));

        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, "att-misrouted").getPayload();
        assertThat(rejected.getReason()).isEqualTo(RejectReason.BAD_RECORD);
        assertThat(rejected.getMessage()).contains("family 'diffusion'", "stage.attribution.gan.requests");
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
