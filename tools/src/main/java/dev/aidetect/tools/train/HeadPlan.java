package dev.aidetect.tools.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.HeadReduction;
import dev.aidetect.heads.HeadStage;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.ScoreCalibration;
import dev.aidetect.heads.ThresholdRule;

/**
 * How {@code train heads} builds the vector heads.
 *
 * @param algorithm the algorithm of the heads not compared
 * @param reduction what reduces the vectors before the heads not compared (none, PCA, autoencoder)
 * @param compare which heads to choose by cross-validating every algorithm with every reduction of the grid (the best
 *        is kept), or {@code null}
 * @param folds folds of that cross-validation
 * @param threshold how each head's threshold is chosen on its validation split
 * @param calibration how each head's score is made a probability
 * @param gridDimensions the reduced sizes of the comparison's grid: PCA and an autoencoder to each (the seeds': 64, 32)
 * @param autoencoderEpochs training epochs of every autoencoder, compared or not
 */
public record HeadPlan(HeadAlgorithm algorithm, HeadReduction reduction, Compared compare, int folds,
        ThresholdRule threshold, ScoreCalibration calibration, List<Integer> gridDimensions, int autoencoderEpochs) {

    /** The seeds reduce CLIP vectors to 64 and to 32 dimensions. */
    public static final List<Integer> SEEDS_DIMENSIONS = List.of(64, 32);

    public HeadPlan {
        gridDimensions = List.copyOf(gridDimensions);
        if (gridDimensions.stream().anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("grid dimensions must be positive, got " + gridDimensions);
        }
    }

    /** Which heads {@code --compare} chooses: {@code --stage detection|family|both}. */
    public enum Compared {
        DETECTION, FAMILY, BOTH;

        /** Parses {@code detection}, {@code family} or {@code both}. */
        public static Compared of(String stage) {
            try {
                return valueOf(stage.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown stage '" + stage + "'; use detection, family or both",
                        e);
            }
        }

        boolean includes(HeadStage stage) {
            return this == BOTH || name().equals(stage.name());
        }
    }

    /** Logistic regression, no reduction, no comparison, threshold 0.5, native calibration: the demo's heads. */
    public static HeadPlan defaults() {
        return new HeadPlan(HeadAlgorithm.LOGISTIC_REGRESSION, HeadReduction.none(), null, 5,
                ThresholdRule.FIXED_HALF, ScoreCalibration.NATIVE, SEEDS_DIMENSIONS, HeadReduction.DEFAULT_EPOCHS);
    }

    /** Whether the head of {@code stage} is chosen by comparison. */
    boolean compares(HeadStage stage) {
        return compare != null && compare.includes(stage);
    }

    /** The comparison's reductions: none, then PCA and an autoencoder to each grid size. */
    List<HeadReduction> grid() {
        List<HeadReduction> grid = new ArrayList<>();
        grid.add(HeadReduction.none());
        gridDimensions.forEach(d -> grid.add(HeadReduction.pca(d)));
        gridDimensions.forEach(d -> grid.add(HeadReduction.autoencoder(d).withEpochs(autoencoderEpochs)));
        return grid;
    }

    /** The options with this plan's reduction, threshold rule and calibration. */
    HeadTrainingOptions apply(HeadTrainingOptions options) {
        HeadReduction reduced = reduction.method() == HeadReduction.Method.AUTOENCODER
                ? reduction.withEpochs(autoencoderEpochs)
                : reduction;
        return options.withReduction(reduced).withThreshold(threshold).withCalibration(calibration);
    }
}
