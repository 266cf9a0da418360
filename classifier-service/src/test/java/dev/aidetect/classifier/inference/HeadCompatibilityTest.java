package dev.aidetect.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.heads.HeadTrainer;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.fixtures.GaussianClouds;

/** Which heads may replace a serving one: the checks a reload runs before the swap. */
class HeadCompatibilityTest {
    @TempDir
    Path dir;

    @Test
    void acceptsARetrainedHeadOfTheSameStageClassesAndEncoder() throws IOException {
        VectorHead serving = TrainedModels.trainDetectionHead(dir.resolve("v1.head"), TrainedModels.SIZE, 1);
        VectorHead retrained = TrainedModels.trainDetectionHead(dir.resolve("v2.head"), TrainedModels.SIZE, 2);

        assertThat(retrained.version()).isNotEqualTo(serving.version());
        assertThat(ReplacementChecks.incompatibility(ModelSlot.DETECTION_HEAD, serving, retrained)).isNull();
    }

    @Test
    void refusesAHeadForAnotherEmbeddingSize() throws IOException {
        VectorHead serving = TrainedModels.trainDetectionHead(dir.resolve("v1.head"), TrainedModels.SIZE, 1);
        VectorHead smaller = TrainedModels.trainDetectionHead(dir.resolve("v2.head"), 8, 2);

        assertThat(ReplacementChecks.incompatibility(ModelSlot.DETECTION_HEAD, serving, smaller))
                .contains("vectors of size 8").contains("vectors of size " + TrainedModels.SIZE);
    }

    @Test
    void refusesAHeadForAnotherEncoder() throws IOException {
        VectorHead serving = TrainedModels.trainDetectionHead(dir.resolve("v1.head"), TrainedModels.SIZE, 1);
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "FAKE"), 50, TrainedModels.SIZE, 6, 3);
        VectorHead other = new HeadTrainer().train(clouds.vectors(), clouds.labels(),
                HeadTrainingOptions.detection("openai-clip-vit-l-14"), dir.resolve("other.head"));

        assertThat(ReplacementChecks.incompatibility(ModelSlot.DETECTION_HEAD, serving, other))
                .contains("openai-clip-vit-l-14").contains(TrainedModels.ENCODER);
    }

    @Test
    void refusesAFamilyHeadInTheDetectionSlot() throws IOException {
        VectorHead serving = TrainedModels.trainDetectionHead(dir.resolve("v1.head"), TrainedModels.SIZE, 1);
        GaussianClouds clouds = GaussianClouds.of(List.of("gan", "diffusion"), 50, TrainedModels.SIZE, 6, 3);
        VectorHead family = new HeadTrainer().train(clouds.vectors(), clouds.labels(),
                HeadTrainingOptions.family(TrainedModels.ENCODER), dir.resolve("family.head"));

        assertThat(ReplacementChecks.incompatibility(ModelSlot.DETECTION_HEAD, serving, family))
                .contains("FAMILY head, not a DETECTION head");
    }
}
