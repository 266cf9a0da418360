package dev.aidetect.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The metric definitions on examples small enough to work out by hand (scikit-learn's documentation examples among
 * them); tools' {@code BinaryMetricsSklearnTest} holds them to scikit-learn itself on random and tie-heavy scores.
 */
class BinaryMetricsTest {
    /** scikit-learn's documentation example: y_true = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8]. */
    private static final int[] Y = {0, 0, 1, 1};
    private static final double[] S = {0.1, 0.4, 0.35, 0.8};

    @Test
    void averagePrecisionAndAucOfTheDocumentationExample() {
        assertThat(BinaryMetrics.averagePrecision(Y, S)).isCloseTo(0.8333333333, within(1e-9));
        assertThat(BinaryMetrics.auc(Y, S)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void aTieBetweenAPositiveAndANegativeCountsAHalf() {
        assertThat(BinaryMetrics.auc(new int[]{0, 1}, new double[]{0.5, 0.5})).isEqualTo(0.5);
        assertThat(BinaryMetrics.auc(new int[]{0, 1, 0, 1}, new double[]{0.2, 0.5, 0.5, 0.9}))
                .isEqualTo((1 + 0.5 + 1 + 1) / 4);
        // the order of tied examples does not matter
        assertThat(BinaryMetrics.averagePrecision(new int[]{1, 0, 1}, new double[]{0.5, 0.5, 0.1}))
                .isEqualTo(BinaryMetrics.averagePrecision(new int[]{0, 1, 1}, new double[]{0.5, 0.5, 0.1}));
    }

    @Test
    void aucIsOneWhenSeparatedZeroWhenReversedAndNanWithOneClass() {
        assertThat(BinaryMetrics.auc(new int[]{0, 0, 1}, new double[]{0.1, 0.2, 0.9})).isEqualTo(1);
        assertThat(BinaryMetrics.auc(new int[]{1, 1, 0}, new double[]{0.1, 0.2, 0.9})).isEqualTo(0);
        assertThat(BinaryMetrics.auc(new int[]{1, 1}, new double[]{0.1, 0.2})).isNaN();
        assertThat(BinaryMetrics.averagePrecision(new int[]{0, 0}, new double[]{0.1, 0.2})).isNaN();
    }

    @Test
    void classAccuracyIsTheShareOfAClassDecidedAsIt() {
        int[] truth = {0, 0, 0, 1};
        int[] decided = {0, 1, 0, 0};

        assertThat(BinaryMetrics.classAccuracy(truth, decided, 0)).isEqualTo(2 / 3.0);
        assertThat(BinaryMetrics.classAccuracy(truth, decided, 1)).isZero();
        assertThat(BinaryMetrics.classAccuracy(new int[]{0}, new int[]{0}, 1)).isNaN();
    }

    @Test
    void accuracyAtAThresholdCallsScoresAtTheThresholdPositive() {
        assertThat(BinaryMetrics.accuracyAt(Y, S, 0.4)).isEqualTo(0.5);
        assertThat(BinaryMetrics.accuracyAt(Y, S, 0.35)).isEqualTo(0.75);
    }

    @Test
    void bestThresholdIsTheLowestCutWithTheBestAccuracy() {
        BinaryMetrics.BestThreshold best = BinaryMetrics.bestThreshold(Y, S);

        assertThat(best.accuracy()).isEqualTo(0.75);
        assertThat(best.threshold()).isEqualTo(0.35);
        assertThat(BinaryMetrics.bestThreshold(new int[]{0, 1}, new double[]{0.2, 0.3}))
                .isEqualTo(new BinaryMetrics.BestThreshold(0.3, 1.0));
        // everything called negative is a cut point too
        assertThat(BinaryMetrics.bestThreshold(new int[]{0, 0, 1}, new double[]{0.9, 0.8, 0.1}))
                .isEqualTo(new BinaryMetrics.BestThreshold(Double.POSITIVE_INFINITY, 2 / 3.0));
    }

    @Test
    void rocCurveHasAPointPerDistinctScoreAfterTheOrigin() {
        List<BinaryMetrics.RocPoint> roc = BinaryMetrics.rocCurve(Y, S);

        assertThat(roc).extracting(BinaryMetrics.RocPoint::threshold)
                .containsExactly(Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1);
        assertThat(roc).extracting(BinaryMetrics.RocPoint::falsePositiveRate).containsExactly(0.0, 0.0, 0.5, 0.5, 1.0);
        assertThat(roc).extracting(BinaryMetrics.RocPoint::truePositiveRate).containsExactly(0.0, 0.5, 0.5, 1.0, 1.0);
    }

    @Test
    void precisionRecallCurveStopsAtFullRecallAndEndsAtPrecisionOne() {
        List<BinaryMetrics.PrPoint> pr = BinaryMetrics.precisionRecallCurve(Y, S);

        assertThat(pr).extracting(BinaryMetrics.PrPoint::threshold)
                .containsExactly(0.35, 0.4, 0.8, Double.POSITIVE_INFINITY);
        assertThat(pr).extracting(BinaryMetrics.PrPoint::precision).containsExactly(2 / 3.0, 0.5, 1.0, 1.0);
        assertThat(pr).extracting(BinaryMetrics.PrPoint::recall).containsExactly(1.0, 0.5, 0.5, 0.0);
    }

    @Test
    void calibrationBinsScoresByTenthsAndWeighsEachGapByItsCount() {
        int[] positive = {0, 1, 1, 1, 0};
        double[] scores = {0.05, 0.15, 0.95, 1.0, 0.9};

        BinaryMetrics.Calibration calibration = BinaryMetrics.calibration(positive, scores, 10);

        assertThat(calibration.bins()).hasSize(10);
        assertThat(calibration.bins().get(0)).isEqualTo(new BinaryMetrics.Bin(0, 0.1, 1, 0.05, 0));
        assertThat(calibration.bins().get(1).positiveRate()).isEqualTo(1);
        assertThat(calibration.bins().get(5).count()).isZero();
        assertThat(calibration.bins().get(5).meanScore()).isNaN();
        // 1.0 lands in the last bin with 0.95 and 0.9
        assertThat(calibration.bins().get(9).count()).isEqualTo(3);
        double gaps = 1 * 0.05 + 1 * (1 - 0.15) + 3 * Math.abs(2 / 3.0 - (0.95 + 1.0 + 0.9) / 3);
        assertThat(calibration.ece()).isCloseTo(gaps / 5, within(1e-12));
    }

    @Test
    void refusesMismatchedLengthsAndNanScores() {
        assertThatThrownBy(() -> BinaryMetrics.auc(new int[]{0, 1}, new double[]{0.1}))
                .hasMessageContaining("2 labels but 1 scores");
        assertThatThrownBy(() -> BinaryMetrics.averagePrecision(new int[]{0, 1}, new double[]{0.1, Double.NaN}))
                .hasMessageContaining("NaN");
    }
}
