package dev.aidetect.tools.train;

import java.util.Locale;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.HeadStage;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.ScoreCalibration;
import dev.aidetect.heads.ThresholdRule;

/**
 * How {@code train heads} builds the vector heads.
 *
 * @param algorithm the algorithm of the heads not compared
 * @param pcaDimensions principal components before the head; 0: off
 * @param compare which heads to choose by cross-validating every algorithm (the best is kept), or {@code null}
 * @param folds folds of that cross-validation
 * @param threshold how each head's threshold is chosen on its validation split
 * @param calibration how each head's score is made a probability
 */
public record HeadPlan(HeadAlgorithm algorithm, int pcaDimensions, Compared compare, int folds,
        ThresholdRule threshold, ScoreCalibration calibration) {

    /** Which heads {@code --compare} chooses: {@code --stage detection|family|both}. */
    public enum Compared {
        DETECTION, FAMILY, BOTH;

        /** Parses {@code detection}, {@code family} or {@code both}. */
        public static Compared of(String stage) {
            try {
                return valueOf(stage.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown stage '" + stage + "'; use detection, family or both",
                        e);
            }
        }

        boolean includes(HeadStage stage) {
            return this == BOTH || name().equals(stage.name());
        }
    }

    /** Logistic regression, no PCA, no comparison, threshold 0.5, native calibration: the demo's heads. */
    public static HeadPlan defaults() {
        return new HeadPlan(HeadAlgorithm.LOGISTIC_REGRESSION, 0, null, 5, ThresholdRule.FIXED_HALF,
                ScoreCalibration.NATIVE);
    }

    /** Whether the head of {@code stage} is chosen by comparison. */
    boolean compares(HeadStage stage) {
        return compare != null && compare.includes(stage);
    }

    /** The options with this plan's PCA, threshold rule and calibration. */
    HeadTrainingOptions apply(HeadTrainingOptions options) {
        return options.withPca(pcaDimensions).withThreshold(threshold).withCalibration(calibration);
    }
}
