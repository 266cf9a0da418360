package dev.aidetect.classifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.aidetect.classifier.InMemoryClassifierResource;
import dev.aidetect.classifier.Records;
import dev.aidetect.heads.fixtures.SyntheticGenerators;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;

/** The family stage as a network on pixels (aidetect.classifier.family-network) instead of a head on vectors. */
@QuarkusTest
@WithTestResource(value = InMemoryClassifierResource.class, initArgs = {
        @ResourceArg(name = "aidetect.classifier.family-head", value = ""),
        @ResourceArg(name = "aidetect.classifier.family-network", value = "target/test-models/family-network")})
class FamilyNetworkConsumerTest {
    @Inject
    @Any
    InMemoryConnector connector;

    Outputs outputs;

    @BeforeEach
    void outputs() {
        outputs = new Outputs(connector);
    }

    @Test
    void decidesTheFamilyFromTheImagePixelsWithTheNetworksIdAndVersion() throws IOException {
        BufferedImage blocky = SyntheticGenerators.images(1, 96, 41).get(SyntheticGenerators.BLOCKY).getFirst();
        StageRequest request = Records.familyRequest("pixels-gan", "tiny-clip", null);
        request.setImage(Records.attributionRequest("pixels-gan", "gan", png(blocky)).getImage());

        outputs.send(Channels.FAMILY_REQUESTS, Records.consumed(Channels.FAMILY_REQUESTS, "pixels-gan", request));

        StageVerdict verdict = outputs.<StageVerdict>awaitOne(Channels.FAMILY_VERDICTS, "pixels-gan").getPayload();
        assertThat(verdict.getStage()).isEqualTo(Stage.FAMILY);
        assertThat(verdict.getDecision()).isEqualTo("gan");
        assertThat(verdict.getScores()).containsOnlyKeys("gan", "diffusion");
        assertThat(verdict.getScore()).isEqualTo(verdict.getScores().get("gan")).isGreaterThan(0.5);
        assertThat(verdict.getModel().getId()).isEqualTo("attribution-family-resnet18");
    }

    @Test
    void rejectsAFamilyRequestWithoutImageBytesAndNamesTheRouterOption() {
        StageRequest vectorOnly = Records.familyRequest("pixels-missing", "tiny-clip", new float[16]);

        outputs.send(Channels.FAMILY_REQUESTS, Records.consumed(Channels.FAMILY_REQUESTS, "pixels-missing",
                vectorOnly));

        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, "pixels-missing").getPayload();
        assertThat(rejected.getStage()).isEqualTo(Stage.FAMILY);
        assertThat(rejected.getReason()).isEqualTo(RejectReason.MISSING_CONTENT);
        assertThat(rejected.getMessage()).contains("family request for image pixels-missing carries no image",
                "aidetect.router.family-request-image=true");
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
