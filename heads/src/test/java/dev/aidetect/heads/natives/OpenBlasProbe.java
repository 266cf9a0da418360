package dev.aidetect.heads.natives;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.SmileSelfTest;

/**
 * Runs {@link SmileSelfTest} in a process of its own and prints which OpenBLAS served it: the subject of
 * {@link OpenBlasTest}'s separate-process checks.
 */
public final class OpenBlasProbe {
    private OpenBlasProbe() {
    }

    public static void main(String[] args) {
        System.out.println("openblas: " + OpenBlas.ensureLoaded());
        for (HeadAlgorithm algorithm : SmileSelfTest.NATIVE_PATHS) {
            System.out.printf("%s: training accuracy %.3f%n", algorithm.id(),
                    SmileSelfTest.trainingAccuracy(algorithm));
        }
    }
}
