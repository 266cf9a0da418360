package dev.aidetect.heads;

/**
 * A binary classifier that maps a base model's raw score through a calibration fitted on held-out vectors: Platt's
 * sigmoid or an isotonic step function. The calibrated value is P(class 1).
 */
interface CalibratedClassifier extends BinaryClassifier {
    /** The base model's raw score for x, before calibration. */
    double raw(double[] x);

    /** The calibrated probability of class 1 for a raw score. */
    double calibrate(double raw);

    @Override
    default int predict(double[] x) {
        return predict(x, new double[2]);
    }

    @Override
    default boolean isSoft() {
        return true;
    }

    @Override
    default int predict(double[] x, double[] posteriori) {
        return BinaryClassifier.decide(calibrate(raw(x)), posteriori);
    }
}
