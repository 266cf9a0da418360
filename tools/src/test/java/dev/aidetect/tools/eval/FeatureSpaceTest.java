package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FeatureSpaceTest {
    private static final int DIMENSIONS = 16;

    @Test
    void mahalanobisDistanceUsesTheSharedCovarianceOfTheClasses() {
        List<float[]> features = List.of(new float[]{1, 0}, new float[]{-1, 0}, new float[]{0, 2},
                new float[]{0, -2});
        double ridge = MahalanobisScore.RIDGE * (0.5 + 2) / 2;

        MahalanobisScore score = MahalanobisScore.fit(features, new int[4], 1);

        assertThat(score.score(new float[]{1, 1})).isCloseTo(-(1 / (0.5 + ridge) + 1 / (2 + ridge)), within(1e-9));
    }

    @Test
    void nearestNeighbourScoreIsMinusTheDistanceToTheKthNearestUnitVector() {
        List<float[]> bank = List.of(new float[]{1, 0}, new float[]{0, 3}, new float[]{-2, 0});

        assertThat(NearestNeighbourScore.fit(bank, 1).score(new float[]{5, 0})).isCloseTo(0, within(1e-6));
        assertThat(NearestNeighbourScore.fit(bank, 2).score(new float[]{5, 0})).isCloseTo(-Math.sqrt(2),
                within(1e-6));
    }

    @Test
    void knownGaussianClassesOutscoreAnUnseenOneOnBothFeatureScores() {
        Random random = new Random(7);
        List<float[]> training = new ArrayList<>();
        int[] labels = new int[300];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
            training.add(sample(labels[i], random));
        }
        FeatureSpace space = FeatureSpace.fit(training, labels, 3);
        List<Scored> test = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            test.add(Scored.of(i % 3, new float[]{1, 0, 0}, sample(i % 3, random), space));
            test.add(Scored.of(Scored.HELD_OUT, new float[]{1, 0, 0}, sample(3, random), space));
        }

        assertThat(OpenSetThresholds.auroc(test, OpenSetScore.MAHALANOBIS)).isGreaterThan(0.95);
        assertThat(OpenSetThresholds.auroc(test, OpenSetScore.NEAREST_NEIGHBOURS)).isGreaterThan(0.95);
        assertThat(OpenSetThresholds.auroc(test, OpenSetScore.MAX_SOFTMAX)).isEqualTo(0.5);
    }

    @Test
    void logitOnlyScoresLeaveTheFeatureScoresOutOfTheReport() {
        Scored scored = Scored.of(0, new float[]{2, 0});

        assertThat(scored.has(OpenSetScore.ENERGY)).isTrue();
        assertThat(scored.has(OpenSetScore.MAHALANOBIS)).isFalse();
    }

    /** Class c: unit Gaussian noise around a mean with 6 in dimension c (the unseen class 3 too). */
    private static float[] sample(int c, Random random) {
        float[] vector = new float[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) {
            vector[i] = (float) random.nextGaussian() + (i == c ? 6 : 0);
        }
        return vector;
    }
}
