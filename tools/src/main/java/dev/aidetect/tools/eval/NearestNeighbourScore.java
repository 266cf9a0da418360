package dev.aidetect.tools.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Deep nearest neighbours (Sun et al. 2022): training features normalised to unit length form a bank; a feature
 * vector, normalised too, scores minus its Euclidean distance to its k-th nearest bank member, so higher means more
 * known. No class labels and no distribution assumption.
 */
final class NearestNeighbourScore {
    private final float[][] bank;
    private final int k;

    private NearestNeighbourScore(float[][] bank, int k) {
        this.bank = bank;
        this.k = k;
    }

    static NearestNeighbourScore fit(List<float[]> features, int k) {
        if (k < 1 || k > features.size()) {
            throw new IllegalArgumentException("k must be within [1, " + features.size() + "] (the bank size), got "
                    + k);
        }
        return new NearestNeighbourScore(features.stream().map(NearestNeighbourScore::unit).toArray(float[][]::new),
                k);
    }

    int k() {
        return k;
    }

    double score(float[] feature) {
        float[] query = unit(feature);
        // The k largest cosine similarities, kept sorted ascending; the k-th nearest is the smallest of them.
        double[] top = new double[k];
        Arrays.fill(top, Double.NEGATIVE_INFINITY);
        for (float[] member : bank) {
            double cosine = 0;
            for (int i = 0; i < query.length; i++) {
                cosine += query[i] * member[i];
            }
            if (cosine > top[0]) {
                int at = 0;
                while (at + 1 < k && top[at + 1] < cosine) {
                    top[at] = top[at + 1];
                    at++;
                }
                top[at] = cosine;
            }
        }
        return -Math.sqrt(Math.max(0, 2 - 2 * top[0]));
    }

    private static float[] unit(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] * scale);
        }
        return unit;
    }
}
