package dev.aidetect.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.fixtures.GaussianClouds;

class HeadTrainerTest {
    @TempDir
    Path dir;

    @Test
    void familyHeadDecidesGanOrDiffusion() throws IOException {
        GaussianClouds clouds = GaussianClouds.of(List.of("gan", "diffusion"), 60, 16, 5, 11);

        VectorHead head = new HeadTrainer().train(clouds.vectors(), clouds.labels(),
                HeadTrainingOptions.family("tiny-clip"), dir.resolve("family.head"));

        assertThat(head.metadata().stage()).isEqualTo(HeadStage.FAMILY);
        assertThat(head.id()).isEqualTo("family-logistic-regression");
        assertThat(head.classify(clouds.vectors().get(0)).decision()).isEqualTo("gan");
        assertThat(head.classify(clouds.vectors().get(1)).decision()).isEqualTo("diffusion");
    }

    @Test
    void refusesALabelOutsideTheClasses() {
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "SYNTHETIC"), 10, 4, 5, 1);

        assertThatThrownBy(() -> new HeadTrainer().train(clouds.vectors(), clouds.labels(),
                HeadTrainingOptions.detection("tiny-clip"), dir.resolve("x.head")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 'SYNTHETIC' of vector 1 is not one of the head's classes [REAL, FAKE]");
    }

    @Test
    void refusesAClassWithTooFewExamplesToValidate() {
        List<float[]> vectors = List.of(new float[]{1, 2}, new float[]{2, 1}, new float[]{3, 3});

        assertThatThrownBy(() -> new HeadTrainer().train(vectors, List.of("REAL", "REAL", "FAKE"),
                HeadTrainingOptions.detection("tiny-clip"), dir.resolve("x.head")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class 'FAKE' has 1 examples; each class needs at least 2");
    }

    @Test
    void averagePrecisionCountsTiedScoresTogether() {
        int[] positive = {1, 0, 1, 0};
        double[] scores = {0.9, 0.5, 0.5, 0.1};

        // Thresholds 0.9 (recall 1/2, precision 1) then 0.5 (recall 1, precision 2/3).
        assertThat(BinaryMetrics.averagePrecision(positive, scores)).isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
    }
}
