package dev.aidetect.heads;

import smile.classification.NaiveBayes;
import smile.stat.distribution.Distribution;
import smile.stat.distribution.GaussianDistribution;

import dev.aidetect.heads.natives.OpenBlas;

/** Fits Smile's {@link NaiveBayes} with one Gaussian per class and dimension (Smile has no fit for real vectors). */
final class GaussianNaiveBayes {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private static final double MIN_SD = 1e-6;

    private GaussianNaiveBayes() {
    }

    static NaiveBayes fit(double[][] x, int[] y) {
        int k = java.util.Arrays.stream(y).max().orElseThrow() + 1;
        int p = x[0].length;
        double[] priors = new double[k];
        double[][] sum = new double[k][p];
        double[][] squares = new double[k][p];
        for (int i = 0; i < x.length; i++) {
            priors[y[i]]++;
            for (int j = 0; j < p; j++) {
                sum[y[i]][j] += x[i][j];
                squares[y[i]][j] += x[i][j] * x[i][j];
            }
        }
        Distribution[][] conditionals = new Distribution[k][p];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < p; j++) {
                double mean = sum[c][j] / priors[c];
                double variance = Math.max(squares[c][j] / priors[c] - mean * mean, 0);
                conditionals[c][j] = new GaussianDistribution(mean, Math.max(Math.sqrt(variance), MIN_SD));
            }
            priors[c] /= x.length;
        }
        return new NaiveBayes(priors, conditionals);
    }
}
