package dev.aidetect.heads;

import java.util.Arrays;
import java.util.List;

import smile.classification.Classifier;
import smile.math.MathEx;

import dev.aidetect.heads.natives.OpenBlas;

/**
 * How a head's score is made a probability ({@code --calibration}). {@link #NATIVE} keeps the algorithm's own
 * posteriors (Platt scaling for models without them); {@link #PLATT} and {@link #ISOTONIC} fit the model on 80% of
 * each training class and map its positive posterior through a Platt sigmoid or an isotonic (monotone step) function
 * fitted on the other 20%. Binary heads only.
 */
public enum ScoreCalibration {
    NATIVE("native"), PLATT("platt"), ISOTONIC("isotonic");

    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    /** Calibration recorded for isotonic regression. */
    public static final String ISOTONIC_RECORD = "isotonic-regression-on-20%-held-out-training-vectors";
    private static final double HELD_SHARE = 0.2;

    private final String id;

    ScoreCalibration(String id) {
        this.id = id;
    }

    /** The name used on command lines. */
    public String id() {
        return id;
    }

    /** The calibration with this id (or enum name). */
    public static ScoreCalibration of(String name) {
        return Arrays.stream(values())
                .filter(c -> c.id.equalsIgnoreCase(name) || c.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown calibration '" + name + "'; known: "
                        + Arrays.stream(values()).map(ScoreCalibration::id).toList()));
    }

    /** Fits {@code algorithm} on preprocessed vectors and calibrates it as this says. */
    HeadAlgorithm.Fitted fit(HeadAlgorithm algorithm, double[][] x, int[] y, long seed) {
        if (this == NATIVE) {
            return algorithm.fit(x, y, seed);
        }
        HeldOut held = HeldOut.of(x, y, seed);
        HeadAlgorithm.Fitted base = algorithm.fit(held.fitX(), held.fitY(), seed);
        Classifier<double[]> calibrated = this == PLATT
                ? PlattCalibrated.fit(base.classifier(), true, held.heldX(), held.heldY())
                : IsotonicCalibrated.fit(base.classifier(), held.heldX(), held.heldY());
        return new HeadAlgorithm.Fitted(calibrated, base.hyperparameters(),
                this == PLATT ? HeadAlgorithm.PLATT : ISOTONIC_RECORD);
    }

    /** Training vectors split into those a model is fitted on and those its calibration is fitted on. */
    record HeldOut(double[][] fitX, int[] fitY, double[][] heldX, int[] heldY) {
        /** 80% of each class to fit, 20% held out; binary labels 0 and 1 only. */
        static HeldOut of(double[][] x, int[] y, long seed) {
            if (Arrays.stream(y).anyMatch(c -> c > 1)) {
                throw new IllegalArgumentException("a model calibrated on held-out vectors decides between "
                        + "two classes only; use logistic-regression, lda, qda, naive-bayes or a tree model (native "
                        + "calibration) for more");
            }
            StratifiedSplit split = StratifiedSplit.of(y, List.of("0", "1"), HELD_SHARE, seed);
            MathEx.setSeed(seed);
            return new HeldOut(split.train().stream().map(i -> x[i]).toArray(double[][]::new),
                    split.train().stream().mapToInt(i -> y[i]).toArray(),
                    split.validation().stream().map(i -> x[i]).toArray(double[][]::new),
                    split.validation().stream().mapToInt(i -> y[i]).toArray());
        }
    }
}
