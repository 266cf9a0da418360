package dev.aidetect.heads;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

/**
 * Fits heads whose Smile code runs through BLAS or LAPACK on seeded data, so a process can show that the OpenBLAS it
 * loaded really computes (not only that it loaded): {@code aidetect doctor} runs it, and the heads module's tests run
 * it on the system's and on the bundled library.
 */
public final class SmileSelfTest {
    /** LDA and QDA (LAPACK, in a PCA subspace), linear and RBF SVM, and the logistic-regression probe (BLAS). */
    public static final Set<HeadAlgorithm> NATIVE_PATHS = EnumSet.of(HeadAlgorithm.LINEAR_DISCRIMINANT,
            HeadAlgorithm.QUADRATIC_DISCRIMINANT, HeadAlgorithm.LINEAR_SVM, HeadAlgorithm.RBF_SVM,
            HeadAlgorithm.LOGISTIC_REGRESSION);

    private SmileSelfTest() {
    }

    /**
     * Training accuracy of {@code algorithm} on two Gaussian classes in 16 dimensions, 3 standard deviations apart
     * along the first axis: near 1.0 when the native code computes correctly.
     */
    public static double trainingAccuracy(HeadAlgorithm algorithm) {
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
