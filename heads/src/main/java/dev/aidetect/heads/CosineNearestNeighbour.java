package dev.aidetect.heads;

/**
 * Binary nearest neighbour by cosine similarity. Its raw score is the similarity to the nearest class-1 vector minus
 * the similarity to the nearest class-0 vector, which {@link PlattCalibrated} turns into a probability.
 */
final class CosineNearestNeighbour implements BinaryClassifier {
    private static final long serialVersionUID = 1L;
    private final double[][] units;
    private final int[] labels;

    CosineNearestNeighbour(double[][] x, int[] y) {
        units = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            units[i] = unit(x[i]);
        }
        labels = y.clone();
    }

    private static double[] unit(double[] v) {
        double norm = 0;
        for (double c : v) {
            norm += c * c;
        }
        double scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * scale;
        }
        return u;
    }

    @Override
    public double score(double[] x) {
        double[] u = unit(x);
        double[] best = {-2, -2};
        for (int i = 0; i < units.length; i++) {
            double dot = 0;
            for (int j = 0; j < u.length; j++) {
                dot += u[j] * units[i][j];
            }
            best[labels[i]] = Math.max(best[labels[i]], dot);
        }
        return best[1] - best[0];
    }

}
