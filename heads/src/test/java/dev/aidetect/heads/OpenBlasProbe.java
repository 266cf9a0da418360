package dev.aidetect.heads;

import java.util.EnumSet;
import java.util.Random;

/**
 * Fits every head whose Smile code runs through BLAS or LAPACK (LDA and QDA in a PCA subspace, linear and RBF SVM, and
 * the logistic-regression probe) on seeded data in a process of its own, and prints which OpenBLAS served them: the
 * subject of {@link OpenBlasTest}'s separate-process checks.
 */
public final class OpenBlasProbe {
    static final EnumSet<HeadAlgorithm> NATIVE_PATHS = EnumSet.of(HeadAlgorithm.LINEAR_DISCRIMINANT,
            HeadAlgorithm.QUADRATIC_DISCRIMINANT, HeadAlgorithm.LINEAR_SVM, HeadAlgorithm.RBF_SVM,
            HeadAlgorithm.LOGISTIC_REGRESSION);

    private OpenBlasProbe() {
    }

    public static void main(String[] args) {
        System.out.println("openblas: " + OpenBlas.ensureLoaded());
        for (HeadAlgorithm algorithm : NATIVE_PATHS) {
            System.out.printf("%s: training accuracy %.3f%n", algorithm.id(), trainingAccuracy(algorithm));
        }
    }

    /** Two Gaussian classes in 16 dimensions, 3 standard deviations apart along the first axis. */
    static double trainingAccuracy(HeadAlgorithm algorithm) {
        Random random = new Random(7);
        int n = 200;
        double[][] x = new double[n][16];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int d = 0; d < 16; d++) {
                x[i][d] = random.nextGaussian() + (d == 0 ? 3.0 * y[i] : 0.0);
            }
        }
        var classifier = algorithm.fit(x, y, 7).classifier();
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += classifier.predict(x[i]) == y[i] ? 1 : 0;
        }
        return right / (double) n;
    }
}
