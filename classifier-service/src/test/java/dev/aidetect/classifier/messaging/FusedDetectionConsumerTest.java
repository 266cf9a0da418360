package dev.aidetect.classifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.heads.HeadDecision;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.heads.fixtures.SyntheticGenerators;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

/** Detection fused (aidetect.classifier.detection-input=fused): the head on the vector and the network on pixels. */
@QuarkusTest
@WithTestResource(value = InMemoryClassifierResource.class, initArgs = {
        @ResourceArg(name = "aidetect.classifier.detection-input", value = "fused"),
        @ResourceArg(name = "aidetect.classifier.detection-network", value = "target/test-models/detection-network"),
        @ResourceArg(name = "aidetect.classifier.fetch.file-root", value = "target/test-models")})
class FusedDetectionConsumerTest {
    @Inject
    @Any
    InMemoryConnector connector;

    Outputs outputs;

    @BeforeEach
    void outputs() {
        outputs = new Outputs(connector);
    }

    @Test
    void combinesTheHeadOnTheVectorAndTheNetworkOnThePixelsAndNamesBoth() throws IOException {
        // given a vector from the fake cloud and the pixels of the "generator" the network calls FAKE
        float[] vector = TrainedModels.vectors(List.of("REAL", "FAKE"), 77).vectors().get(1);
        BufferedImage pixels = SyntheticGenerators.images(1, 96, 78).get(SyntheticGenerators.BLOCKY).getFirst();
        ImageEmbedding embedding = Records.embedding("fused-1", TrainedModels.ENCODER, vector);
        embedding.setOriginal(ImageRef.newBuilder().setUri(png("fused-1", pixels)).build());

        // when
        outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "fused-1", embedding));

        // then the verdict is the mean of the two models' logits, named after both, network first
        StageVerdict verdict = outputs.<StageVerdict>awaitOne(Channels.DETECTION_VERDICTS, "fused-1").getPayload();
        VectorHead head = TrainedModels.detectionHead();
        try (DetectionNetwork network = DetectionNetwork.load(TrainedModels.detectionNetworkDir())) {
            HeadDecision onVector = head.classify(vector);
            HeadDecision onPixels = network.detect(pixels);
            assertThat(verdict.getStage()).isEqualTo(Stage.DETECTION);
            assertThat(verdict.getDecision()).isEqualTo("FAKE");
            assertThat(verdict.getScore())
                    .as("between the two models' P(FAKE): the exact rule is DetectionFusionTest's")
                    .isBetween(Math.min(onVector.score(), onPixels.score()), Math.max(onVector.score(),
                            onPixels.score()));
            assertThat(verdict.getThreshold()).isEqualTo(0.5);
            assertThat(verdict.getModel().getId()).isEqualTo(network.id() + "+" + head.id());
            assertThat(verdict.getModel().getVersion()).isEqualTo(network.version() + "+" + head.version());
        }
    }

    @Test
    void refusesAVectorOfAnotherEncoderBeforeReadingTheImage() {
        ImageEmbedding foreign = Records.embedding("fused-foreign", "openai-clip-vit-l-14", new float[768]);

        outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "fused-foreign", foreign));

        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, "fused-foreign").getPayload();
        assertThat(rejected.getReason()).isEqualTo(RejectReason.ENCODER_MISMATCH);
    }

    /** Writes the image under the classifier's file root; its file: uri. */
    private static String png(String name, BufferedImage image) throws IOException {
        Path dir = Path.of("target", "test-models", "images").toAbsolutePath();
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        ImageIO.write(image, "png", file.toFile());
        return file.toUri().toString();
    }
}
