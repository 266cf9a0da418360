package dev.aidetect.classifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.aidetect.classifier.InMemoryClassifierResource;
import dev.aidetect.classifier.Records;
import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.heads.HeadDecision;
import dev.aidetect.heads.fixtures.GaussianClouds;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;

@QuarkusTest
@WithTestResource(InMemoryClassifierResource.class)
class FamilyConsumerTest {
    @Inject
    @Any
    InMemoryConnector connector;

    GaussianClouds fresh = TrainedModels.vectors(List.of("gan", "diffusion"), 77);

    @Test
    void decidesTheFamilyWithTheScoreOfTheDecidedFamily() throws IOException {
        Outputs outputs = new Outputs(connector);
        float[] gan = fresh.vectors().get(0);
        HeadDecision expected = TrainedModels.familyHead().classify(gan);

        outputs.send(Channels.FAMILY_REQUESTS, Records.consumed(Channels.FAMILY_REQUESTS, "fam-gan",
                Records.familyRequest("fam-gan", TrainedModels.ENCODER, gan)));

        StageVerdict verdict = outputs.<StageVerdict>awaitOne(Channels.FAMILY_VERDICTS, "fam-gan").getPayload();
        assertThat(verdict.getStage()).isEqualTo(Stage.FAMILY);
        assertThat(verdict.getDecision()).isEqualTo("gan");
        assertThat(verdict.getScore()).isEqualTo(expected.scores().get("gan")).isGreaterThan(0.5);
        assertThat(verdict.getScores()).containsOnlyKeys("gan", "diffusion");
        assertThat(verdict.getModel().getId()).isEqualTo("family-logistic-regression");
    }

    @Test
    void decidesDiffusionForAVectorFromTheDiffusionCloud() {
        Outputs outputs = new Outputs(connector);

        outputs.send(Channels.FAMILY_REQUESTS, Records.consumed(Channels.FAMILY_REQUESTS, "fam-diffusion",
                Records.familyRequest("fam-diffusion", TrainedModels.ENCODER, fresh.vectors().get(1))));

        assertThat(outputs.<StageVerdict>awaitOne(Channels.FAMILY_VERDICTS, "fam-diffusion").getPayload()
                .getDecision()).isEqualTo("diffusion");
    }

    @Test
    void rejectsARequestWithoutAVectorAsBadVector() {
        Outputs outputs = new Outputs(connector);

        outputs.send(Channels.FAMILY_REQUESTS, Records.consumed(Channels.FAMILY_REQUESTS, "fam-empty",
                Records.familyRequest("fam-empty", TrainedModels.ENCODER, null)));

        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, "fam-empty").getPayload();
        assertThat(rejected.getStage()).isEqualTo(Stage.FAMILY);
        assertThat(rejected.getReason()).isEqualTo(RejectReason.BAD_VECTOR);
        assertThat(rejected.getMessage()).contains("carries no vector");
        assertThat(outputs.keyed(Channels.FAMILY_VERDICTS, "fam-empty")).isEmpty();
    }

    @Test
    void rejectsARequestThatNamesNoEncoderAsEncoderMismatch() {
        Outputs outputs = new Outputs(connector);
        StageRequest request = Records.familyRequest("fam-anonymous", TrainedModels.ENCODER, fresh.vectors().get(2));
        request.setEncodedBy(null);

        outputs.send(Channels.FAMILY_REQUESTS, Records.consumed(Channels.FAMILY_REQUESTS, "fam-anonymous", request));

        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, "fam-anonymous").getPayload();
        assertThat(rejected.getReason()).isEqualTo(RejectReason.ENCODER_MISMATCH);
        assertThat(rejected.getMessage()).contains("encodedBy");
    }

    @Test
    void rejectsAnEmbeddingSentToTheFamilyTopicAsBadRecord() {
        Outputs outputs = new Outputs(connector);

        outputs.send(Channels.FAMILY_REQUESTS, Records.consumed(Channels.FAMILY_REQUESTS, "fam-wrong-type",
                Records.embedding("fam-wrong-type", TrainedModels.ENCODER, fresh.vectors().get(3))));

        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, "fam-wrong-type").getPayload();
        assertThat(rejected.getReason()).isEqualTo(RejectReason.BAD_RECORD);
        assertThat(rejected.getMessage()).contains("is not a StageRequest record", "stage.family.requests");
    }
}
