package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The Mahalanobis open-set score: minus the squared distance to the nearest class mean, in the classes' metric. */
class MahalanobisScoreTest {
    @Test
    void aClassWithoutTrainingFeaturesIsRefusedNamingIt() {
        List<float[]> features = List.of(new float[]{1, 2}, new float[]{2, 1});

        assertThatThrownBy(() -> MahalanobisScore.fit(features, new int[]{0, 0}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 1 has no training features");
    }

    @Test
    void scoresByTheNearestClassMean() {
        // given: two classes around (0, 0) and (10, 0), the same spread
        Random random = new Random(1);
        List<float[]> features = new ArrayList<>();
        int[] labels = new int[200];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            features.add(new float[]{(float) (10 * labels[i] + random.nextGaussian()), (float) random.nextGaussian()});
        }

        // when
        MahalanobisScore score = MahalanobisScore.fit(features, labels, 2);

        // then
        assertThat(score.score(new float[]{0, 0})).isCloseTo(0, within(0.05));
        assertThat(score.score(new float[]{10, 0})).isCloseTo(0, within(0.05));
        assertThat(score.score(new float[]{5, 0})).isLessThan(-20);
        assertThat(score.score(new float[]{9, 0})).isGreaterThan(score.score(new float[]{7, 0}));
    }

    @Test
    void aPointAlongTheClassesCorrelationIsMoreKnownThanOneAsFarAcrossIt() {
        // given: one class stretched along the diagonal, x and y strongly correlated
        Random random = new Random(2);
        List<float[]> features = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            double along = 3 * random.nextGaussian();
            double across = 0.3 * random.nextGaussian();
            features.add(new float[]{(float) (along + across), (float) (along - across)});
        }

        // when
        MahalanobisScore score = MahalanobisScore.fit(features, new int[500], 1);

        // then: both points are 2 from the mean in Euclidean distance
        double along = score.score(new float[]{(float) Math.sqrt(2), (float) Math.sqrt(2)});
        double across = score.score(new float[]{(float) Math.sqrt(2), (float) -Math.sqrt(2)});
        assertThat(along).isGreaterThan(-1);
        assertThat(across).isLessThan(-20);
    }

    /**
     * Up to the ridge: it is a share of the mean variance, so a dimension far smaller than the others is regularised
     * more (with one dimension 100 times the other, the score moves by most of itself).
     */
    @Test
    void rescalingAFeatureDimensionBarelyChangesTheScore() {
        Random random = new Random(3);
        List<float[]> features = new ArrayList<>();
        List<float[]> scaled = new ArrayList<>();
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            float x = (float) (labels[i] * 4 + random.nextGaussian());
            float y = (float) random.nextGaussian();
            features.add(new float[]{x, y});
            scaled.add(new float[]{x, 3 * y});
        }

        double plain = MahalanobisScore.fit(features, labels, 2).score(new float[]{2, 1});
        double rescaled = MahalanobisScore.fit(scaled, labels, 2).score(new float[]{2, 3});

        assertThat(rescaled).isCloseTo(plain, within(0.01 * Math.abs(plain)));
    }

    @Test
    void deadAndDuplicatedDimensionsStillFitThanksToTheRidge() {
        // given: dimension 1 is always 0 (a dead ReLU), dimension 2 copies dimension 0
        Random random = new Random(4);
        List<float[]> features = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            float x = (float) random.nextGaussian();
            features.add(new float[]{x, 0, x});
        }

        // when
        MahalanobisScore score = MahalanobisScore.fit(features, new int[50], 1);

        // then
        assertThat(score.score(new float[]{0, 0, 0})).isFinite().isCloseTo(0, within(0.1));
        assertThat(score.score(new float[]{0, 1, 0})).isFinite().isLessThan(score.score(new float[]{0, 0, 0}));
    }

    @Test
    void identicalTrainingFeaturesStillFit() {
        List<float[]> features = List.of(new float[]{1, 1}, new float[]{1, 1}, new float[]{1, 1});

        MahalanobisScore score = MahalanobisScore.fit(features, new int[3], 1);

        assertThat(score.score(new float[]{1, 1})).isZero();
        assertThat(score.score(new float[]{1, 2})).isFinite().isNegative();
    }
}
