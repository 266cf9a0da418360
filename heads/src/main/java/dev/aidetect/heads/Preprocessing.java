package dev.aidetect.heads;

import java.util.List;

/**
 * What a head does to a raw encoder vector before its model sees it: optional L2 normalisation (CLIP features are
 * compared by direction), then optional standardisation with the training split's mean and standard deviation.
 *
 * @param l2Normalize divide by the vector's L2 norm first
 * @param mean per-dimension mean of the (normalised) training vectors, or {@code null} to skip standardisation
 * @param std per-dimension standard deviation, {@code null} exactly when {@code mean} is
 */
public record Preprocessing(boolean l2Normalize, double[] mean, double[] std) {
    private static final double MIN_STD = 1e-8;

    /** Learns the standardisation from training vectors (after normalisation, when that is on). */
    static Preprocessing fit(List<float[]> training, boolean l2Normalize, boolean standardize) {
        Preprocessing normalizeOnly = new Preprocessing(l2Normalize, null, null);
        if (!standardize) {
            return normalizeOnly;
        }
        int size = training.getFirst().length;
        double[] mean = new double[size];
        double[] squares = new double[size];
        for (float[] vector : training) {
            double[] x = normalizeOnly.apply(vector);
            for (int i = 0; i < size; i++) {
                mean[i] += x[i];
                squares[i] += x[i] * x[i];
            }
        }
        double[] std = new double[size];
        for (int i = 0; i < size; i++) {
            mean[i] /= training.size();
            std[i] = Math.max(Math.sqrt(Math.max(squares[i] / training.size() - mean[i] * mean[i], 0)), MIN_STD);
        }
        return new Preprocessing(l2Normalize, mean, std);
    }

    /** The model input for a raw vector; the vector must be finite (checked by the caller). */
    double[] apply(float[] vector) {
        double[] x = new double[vector.length];
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = vector[i];
            norm += x[i] * x[i];
        }
        // A zero vector has no direction; leave it as is rather than divide by zero.
        double scale = l2Normalize && norm > 0 ? 1 / Math.sqrt(norm) : 1;
        for (int i = 0; i < x.length; i++) {
            x[i] *= scale;
            if (mean != null) {
                x[i] = (x[i] - mean[i]) / std[i];
            }
        }
        return x;
    }
}
