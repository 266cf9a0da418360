package dev.aidetect.heads;

import java.io.Serial;
import java.io.Serializable;

/**
 * The encoder half of a trained autoencoder, {@code in -> hidden (ReLU) -> dimensions}, as plain weights: serving
 * reduces a vector with two matrix-vector products in Java, so a head needs no deep-learning engine, no native memory
 * and no predictor per thread to apply it (trained with DJL by {@link AutoencoderTrainer}, which checks this forward
 * pass against DJL's). Immutable and thread-safe.
 */
final class AutoencoderReduction implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int inputSize;
    private final int hidden;
    private final int dimensions;
    /** Row-major {@code hidden x inputSize}, as DJL's {@code Linear} stores {@code weight}. */
    private final float[] weight1;
    private final float[] bias1;
    /** Row-major {@code dimensions x hidden}. */
    private final float[] weight2;
    private final float[] bias2;

    AutoencoderReduction(int inputSize, float[] weight1, float[] bias1, float[] weight2, float[] bias2) {
        this.inputSize = inputSize;
        this.hidden = bias1.length;
        this.dimensions = bias2.length;
        if (weight1.length != hidden * inputSize || weight2.length != dimensions * hidden) {
            throw new IllegalArgumentException("autoencoder weights of " + weight1.length + " and " + weight2.length
                    + " values do not fit " + inputSize + " -> " + hidden + " -> " + dimensions);
        }
        this.weight1 = weight1.clone();
        this.bias1 = bias1.clone();
        this.weight2 = weight2.clone();
        this.bias2 = bias2.clone();
    }

    int inputSize() {
        return inputSize;
    }

    int hidden() {
        return hidden;
    }

    int dimensions() {
        return dimensions;
    }

    /** The code of one preprocessed vector. */
    double[] apply(double[] x) {
        if (x.length != inputSize) {
            throw new IllegalArgumentException("the autoencoder reduces vectors of size " + inputSize + ", got "
                    + x.length);
        }
        double[] h = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            double sum = bias1[j];
            int row = j * inputSize;
            for (int i = 0; i < inputSize; i++) {
                sum += weight1[row + i] * x[i];
            }
            h[j] = Math.max(sum, 0);
        }
        double[] code = new double[dimensions];
        for (int k = 0; k < dimensions; k++) {
            double sum = bias2[k];
            int row = k * hidden;
            for (int j = 0; j < hidden; j++) {
                sum += weight2[row + j] * h[j];
            }
            code[k] = sum;
        }
        return code;
    }

    /** The codes of many vectors. */
    double[][] apply(double[][] x) {
        double[][] codes = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            codes[i] = apply(x[i]);
        }
        return codes;
    }
}
