package dev.aidetect.tools.train;

import dev.aidetect.heads.HeadAlgorithm;

/**
 * How {@code train heads} builds the vector heads.
 *
 * @param algorithm the algorithm of both heads (when not comparing)
 * @param pcaDimensions principal components before the head; 0: off
 * @param compare cross-validate every algorithm for the detection head and keep the best
 * @param folds folds of that cross-validation
 */
public record HeadPlan(HeadAlgorithm algorithm, int pcaDimensions, boolean compare, int folds) {
    /** Logistic regression, no PCA, no comparison: the demo's heads. */
    public static HeadPlan defaults() {
        return new HeadPlan(HeadAlgorithm.LOGISTIC_REGRESSION, 0, false, 5);
    }
}
