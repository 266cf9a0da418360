package dev.aidetect.heads;

import java.util.Arrays;

import smile.classification.Classifier;
import smile.classification.IsotonicRegressionScaling;

import dev.aidetect.heads.natives.OpenBlas;

/**
 * A binary classifier whose positive posterior goes through an isotonic regression (a non-decreasing step function)
 * fitted on vectors the base model did not see. Consumes a preprocessed vector, produces P(class 1).
 */
final class IsotonicCalibrated implements CalibratedClassifier {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private static final long serialVersionUID = 1L;
    private final Classifier<double[]> base;
    private final IsotonicRegressionScaling isotonic;

    private IsotonicCalibrated(Classifier<double[]> base, IsotonicRegressionScaling isotonic) {
        this.base = base;
        this.isotonic = isotonic;
    }

    /**
     * @param base a fitted binary model that gives class probabilities
     * @param heldX vectors the base model was not fitted on
     * @param heldY their classes, 0 or 1
     */
    static IsotonicCalibrated fit(Classifier<double[]> base, double[][] heldX, int[] heldY) {
        double[] raw = Arrays.stream(heldX).mapToDouble(x -> BinaryClassifier.posteriorOfOne(base, x)).toArray();
        return new IsotonicCalibrated(base, IsotonicRegressionScaling.fit(raw, heldY));
    }

    /** The base model's posterior of class 1, before calibration. */
    @Override
    public double raw(double[] x) {
        return BinaryClassifier.posteriorOfOne(base, x);
    }

    @Override
    public double calibrate(double raw) {
        return isotonic.predict(raw);
    }
}
