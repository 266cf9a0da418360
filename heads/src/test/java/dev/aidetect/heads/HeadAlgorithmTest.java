package dev.aidetect.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.aidetect.heads.fixtures.GaussianClouds;

class HeadAlgorithmTest {
    private static final List<String> CLASSES = List.of("REAL", "FAKE");

    @TempDir
    Path dir;

    private VectorHead train(HeadTrainingOptions options, String file) throws IOException {
        GaussianClouds clouds = GaussianClouds.of(CLASSES, 80, 8, 4, 3);
        return new HeadTrainer().train(clouds.vectors(), clouds.labels(), options, dir.resolve(file));
    }

    @ParameterizedTest
    @EnumSource(HeadAlgorithm.class)
    void everyAlgorithmSeparatesTwoGaussianCloudsItDidNotSee(HeadAlgorithm algorithm) throws IOException {
        VectorHead head = train(HeadTrainingOptions.detection("tiny-clip").withAlgorithm(algorithm), "a.head");
        GaussianClouds fresh = GaussianClouds.of(CLASSES, 100, 8, 4, 99);

        int right = 0;
        double fakeScores = 0;
        double realScores = 0;
        for (int i = 0; i < fresh.vectors().size(); i++) {
            HeadDecision decision = head.classify(fresh.vectors().get(i));
            right += decision.decision().equals(fresh.labels().get(i)) ? 1 : 0;
            if (fresh.labels().get(i).equals("FAKE")) {
                fakeScores += decision.score();
            } else {
                realScores += decision.score();
            }
        }

        assertThat(right / 200.0).as(algorithm.id() + " accuracy").isGreaterThan(0.85);
        assertThat(fakeScores / 100).as(algorithm.id() + " mean FAKE score").isGreaterThan(realScores / 100 + 0.4);
        assertThat(head.metadata().validation().averagePrecision()).isGreaterThan(0.85);
    }

    @ParameterizedTest
    @EnumSource(HeadAlgorithm.class)
    void artifactRoundTripGivesIdenticalScoresAndRecordsTheCalibration(HeadAlgorithm algorithm) throws IOException {
        VectorHead trained = train(HeadTrainingOptions.detection("tiny-clip").withAlgorithm(algorithm), "b.head");
        GaussianClouds fresh = GaussianClouds.of(CLASSES, 10, 8, 4, 7);

        VectorHead loaded = VectorHead.load(dir.resolve("b.head"));

        for (float[] vector : fresh.vectors()) {
            assertThat(loaded.classify(vector)).isEqualTo(trained.classify(vector));
        }
        assertThat(loaded.metadata().algorithm()).isEqualTo(algorithm.id());
        assertThat(loaded.metadata().calibration()).isIn(HeadAlgorithm.NATIVE, HeadAlgorithm.PLATT);
    }

    @Test
    void sameSeedGivesTheSameRandomForestScores() throws IOException {
        HeadTrainingOptions options = HeadTrainingOptions.detection("tiny-clip")
                .withAlgorithm(HeadAlgorithm.RANDOM_FOREST);
        GaussianClouds fresh = GaussianClouds.of(CLASSES, 20, 8, 4, 8);

        VectorHead first = train(options, "c.head");
        VectorHead second = train(options, "d.head");

        // Not the artifact version: Smile stores the forest's fit time in the model.
        for (float[] vector : fresh.vectors()) {
            assertThat(second.classify(vector)).isEqualTo(first.classify(vector));
        }
    }

    @ParameterizedTest
    @EnumSource(value = HeadAlgorithm.class, names = {"LINEAR_DISCRIMINANT", "QUADRATIC_DISCRIMINANT"})
    void discriminantsTrainOnVectorsWithAnExactlySingularDirection(HeadAlgorithm algorithm) throws IOException {
        GaussianClouds clouds = GaussianClouds.of(CLASSES, 80, 8, 4, 3);
        // Centred across components, as a LayerNorm output is: the components always sum to zero.
        List<float[]> centred = clouds.vectors().stream().map(v -> {
            float mean = 0;
            for (float c : v) {
                mean += c / v.length;
            }
            float[] out = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i] - mean;
            }
            return out;
        }).toList();

        VectorHead head = new HeadTrainer().train(centred, clouds.labels(), HeadTrainingOptions.detection("t")
                .withAlgorithm(algorithm).withPreprocessing(false, false), dir.resolve("s.head"));

        assertThat(head.metadata().validation().accuracy()).isGreaterThan(0.85);
    }

    @Test
    void svmRefusesMoreThanTwoClasses() {
        GaussianClouds clouds = GaussianClouds.of(List.of("a", "b", "c"), 20, 4, 4, 1);
        HeadTrainingOptions options = new HeadTrainingOptions("x", HeadStage.FAMILY, List.of("a", "b", "c"), "c",
                "tiny-clip", HeadAlgorithm.LINEAR_SVM, true, true, HeadReduction.none(), 0.2, 1,
                ThresholdRule.FIXED_HALF, ScoreCalibration.NATIVE);

        assertThatThrownBy(() -> new HeadTrainer().train(clouds.vectors(), clouds.labels(), options,
                dir.resolve("x.head"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two classes only");
    }

    @Test
    void pcaProjectsBeforeTheModelAndIsRecorded() throws IOException {
        VectorHead head = train(HeadTrainingOptions.detection("tiny-clip").withPca(3), "p.head");
        GaussianClouds fresh = GaussianClouds.of(CLASSES, 10, 8, 4, 5);

        VectorHead loaded = VectorHead.load(dir.resolve("p.head"));

        assertThat(loaded.metadata().hyperparameters()).containsEntry("pca.dimensions", "3");
        assertThat(loaded.metadata().validation().accuracy()).isGreaterThan(0.85);
        assertThat(loaded.classify(fresh.vectors().get(0))).isEqualTo(head.classify(fresh.vectors().get(0)));
    }

    @Test
    void pcaRefusesMoreDimensionsThanTheVectorsHave() {
        assertThatThrownBy(() -> train(HeadTrainingOptions.detection("tiny-clip").withPca(8), "q.head"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pca to 8 dimensions needs vectors longer than 8")
                .hasMessageContaining("choose fewer --dims");
    }
}
