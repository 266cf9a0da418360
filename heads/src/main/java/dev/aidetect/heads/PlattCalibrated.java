package dev.aidetect.heads;

import smile.classification.Classifier;
import smile.classification.PlattScaling;

import dev.aidetect.heads.natives.OpenBlas;

/**
 * A binary classifier without native class probabilities (SVM, kNN, cosine nearest neighbour) made probabilistic:
 * its raw score (decision value, or the share of positive neighbours) goes through a Platt sigmoid fitted on vectors
 * the base model did not see. Consumes a preprocessed vector, produces P(class 1).
 */
final class PlattCalibrated implements CalibratedClassifier {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private static final long serialVersionUID = 1L;
    private final Classifier<double[]> base;
    private final boolean fromVotes;
    private final PlattScaling platt;

    private PlattCalibrated(Classifier<double[]> base, boolean fromVotes, PlattScaling platt) {
        this.base = base;
        this.fromVotes = fromVotes;
        this.platt = platt;
    }

    /**
     * @param base a fitted binary model whose larger raw score means class 1
     * @param fromVotes the raw score is the base model's posterior of class 1 (kNN votes), not {@code score(x)}
     * @param heldX vectors the base model was not fitted on
     * @param heldY their classes, 0 or 1
     */
    static PlattCalibrated fit(Classifier<double[]> base, boolean fromVotes, double[][] heldX, int[] heldY) {
        PlattCalibrated uncalibrated = new PlattCalibrated(base, fromVotes, null);
        double[] scores = new double[heldX.length];
        int[] signs = new int[heldY.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = uncalibrated.raw(heldX[i]);
            signs[i] = heldY[i] == 1 ? 1 : -1;
        }
        return new PlattCalibrated(base, fromVotes, PlattScaling.fit(scores, signs));
    }

    @Override
    public double raw(double[] x) {
        if (!fromVotes) {
            return base.score(x);
        }
        return BinaryClassifier.posteriorOfOne(base, x);
    }

    @Override
    public double calibrate(double raw) {
        return platt.scale(raw);
    }
}
