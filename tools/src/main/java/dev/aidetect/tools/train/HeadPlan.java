package dev.aidetect.tools.train;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.ScoreCalibration;
import dev.aidetect.heads.ThresholdRule;

/**
 * How {@code train heads} builds the vector heads.
 *
 * @param algorithm the algorithm of both heads (when not comparing)
 * @param pcaDimensions principal components before the head; 0: off
 * @param compare cross-validate every algorithm for the detection head and keep the best
 * @param folds folds of that cross-validation
 * @param threshold how each head's threshold is chosen on its validation split
 * @param calibration how each head's score is made a probability
 */
public record HeadPlan(HeadAlgorithm algorithm, int pcaDimensions, boolean compare, int folds,
        ThresholdRule threshold, ScoreCalibration calibration) {
    /** Logistic regression, no PCA, no comparison, threshold 0.5, native calibration: the demo's heads. */
    public static HeadPlan defaults() {
        return new HeadPlan(HeadAlgorithm.LOGISTIC_REGRESSION, 0, false, 5, ThresholdRule.FIXED_HALF,
                ScoreCalibration.NATIVE);
    }

    /** The options with this plan's PCA, threshold rule and calibration. */
    HeadTrainingOptions apply(HeadTrainingOptions options) {
        return options.withPca(pcaDimensions).withThreshold(threshold).withCalibration(calibration);
    }
}
