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

    /** A soft model's posterior of class 1. */
    static double posteriorOfOne(Classifier<double[]> model, double[] x) {
        double[] posterior = new double[model.numClasses()];
        model.predict(x, posterior);
        return posterior[1];
    }

    /** Fills {@code posteriori} from P(class 1) and decides class 1 from 0.5 on. */
    static int decide(double p, double[] posteriori) {
        posteriori[0] = 1 - p;
        posteriori[1] = p;
        return p >= 0.5 ? 1 : 0;
    }
}
