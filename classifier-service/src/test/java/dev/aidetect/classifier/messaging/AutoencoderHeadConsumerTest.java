package dev.aidetect.classifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.aidetect.classifier.InMemoryClassifierResource;
import dev.aidetect.classifier.Records;
import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.fixtures.GaussianClouds;
import dev.aidetect.schemas.StageVerdict;

/**
 * The classifier serving a detection head whose artifact holds an autoencoder: the service loads it as any head, the
 * reduction runs before the head on every embedding, and the verdicts are the head's own.
 */
@QuarkusTest
@WithTestResource(value = InMemoryClassifierResource.class, initArgs = @ResourceArg(name = "aidetect.classifier.detection-head", value = "target/test-models/"
        + TrainedModels.AUTOENCODER_DETECTION_HEAD))
class AutoencoderHeadConsumerTest {
    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void decidesEmbeddingsThroughTheAutoencoderAsTheLoadedHeadDoes() throws IOException {
        // given
        Outputs outputs = new Outputs(connector);
        VectorHead head = TrainedModels.autoencoderDetectionHead();
        GaussianClouds fresh = TrainedModels.vectors(List.of("REAL", "FAKE"), 41);

        // when
        for (int i = 0; i < fresh.vectors().size(); i++) {
            outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "img-ae-" + i,
                    Records.embedding("img-ae-" + i, TrainedModels.ENCODER, fresh.vectors().get(i))));
        }

        // then
        assertThat(head.metadata().reduction().method()).isEqualTo("autoencoder");
        for (int i = 0; i < fresh.vectors().size(); i++) {
            StageVerdict verdict = outputs.<StageVerdict>awaitOne(Channels.DETECTION_VERDICTS, "img-ae-" + i)
                    .getPayload();
            assertThat(verdict.getDecision()).as("image %d", i).isEqualTo(fresh.labels().get(i));
            assertThat(verdict.getScore()).isEqualTo(head.classify(fresh.vectors().get(i)).score());
            assertThat(verdict.getModel().getId()).isEqualTo("detection-logistic-regression-autoencoder-4");
            assertThat(verdict.getModel().getVersion()).isEqualTo(head.version());
        }
    }
}
