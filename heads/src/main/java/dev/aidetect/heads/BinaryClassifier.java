package dev.aidetect.heads;

import smile.classification.Classifier;

/**
 * A two-class classifier (0 and 1) whose {@link #score} is a margin: positive means class 1. The heads this project
 * writes itself (linear probe, cosine nearest neighbour, Platt-calibrated wrappers) share these answers.
 */
interface BinaryClassifier extends Classifier<double[]> {
    @Override
    default int numClasses() {
        return 2;
    }

    @Override
    default int[] classes() {
        return new int[]{0, 1};
    }

    @Override
    default int predict(double[] x) {
        return score(x) > 0 ? 1 : 0;
    }
}
