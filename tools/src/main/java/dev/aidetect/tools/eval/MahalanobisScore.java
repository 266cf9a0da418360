package dev.aidetect.tools.eval;

import java.util.List;

/**
 * A class-conditional Gaussian with one shared covariance, fitted on training features (Lee et al. 2018): a feature
 * vector scores minus its smallest squared Mahalanobis distance to a class mean, so higher means more known. The
 * covariance gets a small ridge ({@link #RIDGE} times its mean variance) because pooled ReLU features often have
 * dead or collinear dimensions that would make it singular.
 */
final class MahalanobisScore {
    static final double RIDGE = 1e-3;

    private final double[][] means;
    /** Lower-triangular L with covariance = L Lᵀ. */
    private final double[][] cholesky;

    private MahalanobisScore(double[][] means, double[][] cholesky) {
        this.means = means;
        this.cholesky = cholesky;
    }

    /**
     * @param features training feature vectors, all of one length
     * @param labels each vector's class, within [0, classes)
     */
    static MahalanobisScore fit(List<float[]> features, int[] labels, int classes) {
        int d = features.getFirst().length;
        double[][] means = new double[classes][d];
        int[] counts = new int[classes];
        for (int n = 0; n < features.size(); n++) {
            counts[labels[n]]++;
            for (int i = 0; i < d; i++) {
                means[labels[n]][i] += features.get(n)[i];
            }
        }
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no training features; every known class "
                        + "needs some to fit its mean");
            }
            for (int i = 0; i < d; i++) {
                means[c][i] /= counts[c];
            }
        }
        double[][] covariance = new double[d][d];
        double[] centred = new double[d];
        for (int n = 0; n < features.size(); n++) {
            for (int i = 0; i < d; i++) {
                centred[i] = features.get(n)[i] - means[labels[n]][i];
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    covariance[i][j] += centred[i] * centred[j];
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += covariance[i][i] / features.size();
        }
        double ridge = RIDGE * Math.max(trace / d, 1e-12);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                covariance[i][j] /= features.size();
            }
            covariance[i][i] += ridge;
        }
        return new MahalanobisScore(means, choleskyInPlace(covariance));
    }

    double score(float[] feature) {
        int d = feature.length;
        double best = Double.POSITIVE_INFINITY;
        double[] y = new double[d];
        for (double[] mean : means) {
            double squared = 0;
            for (int i = 0; i < d; i++) {
                double sum = feature[i] - mean[i];
                for (int j = 0; j < i; j++) {
                    sum -= cholesky[i][j] * y[j];
                }
                y[i] = sum / cholesky[i][i];
                squared += y[i] * y[i];
            }
            best = Math.min(best, squared);
        }
        return -best;
    }

    /** Cholesky factor of a symmetric positive definite matrix given by its lower triangle, which it overwrites. */
    private static double[][] choleskyInPlace(double[][] a) {
        int d = a.length;
        for (int j = 0; j < d; j++) {
            double diagonal = a[j][j];
            for (int k = 0; k < j; k++) {
                diagonal -= a[j][k] * a[j][k];
            }
            if (diagonal <= 0) {
                throw new IllegalStateException("feature covariance is not positive definite at dimension " + j
                        + "; the features are degenerate (train the network properly or raise the ridge)");
            }
            a[j][j] = Math.sqrt(diagonal);
            for (int i = j + 1; i < d; i++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= a[i][k] * a[j][k];
                }
                a[i][j] = sum / a[j][j];
            }
        }
        return a;
    }
}
