package dev.aidetect.heads;

import java.util.List;
import java.util.Locale;

/**
 * How to train a vector head. Start from {@link #detection(String)} or {@link #family(String)} and change what
 * differs with the {@code with...} methods.
 *
 * @param id model id written into the artifact and every verdict
 * @param stage the stage the head decides for
 * @param classes class names in index order; every training label must be one of them
 * @param positiveClass the class whose probability is the head's score
 * @param encoderId the encoder that made the training vectors
 * @param algorithm the learning algorithm
 * @param l2Normalize L2-normalise vectors first
 * @param standardize standardise with the training split's mean and standard deviation
 * @param reduction how the preprocessed vector is reduced before the model (principal components or an autoencoder,
 *        fitted on the training split), or not
 * @param validationFraction share of each class held out for the validation metrics
 * @param seed seed of the split and the algorithm
 * @param threshold how a binary head's threshold is chosen on the validation split
 * @param calibration how the score is made a probability
 */
public record HeadTrainingOptions(String id, HeadStage stage, List<String> classes, String positiveClass,
        String encoderId, HeadAlgorithm algorithm, boolean l2Normalize, boolean standardize,
        HeadReduction reduction, double validationFraction, long seed, ThresholdRule threshold,
        ScoreCalibration calibration) {

    public HeadTrainingOptions {
        classes = List.copyOf(classes);
        if (classes.size() < 2 || classes.stream().distinct().count() != classes.size()) {
            throw new IllegalArgumentException("a head needs at least two distinct classes, got " + classes);
        }
        if (!classes.contains(positiveClass)) {
            throw new IllegalArgumentException("positive class " + positiveClass + " is not one of " + classes);
        }
        if (encoderId == null || encoderId.isBlank()) {
            throw new IllegalArgumentException("name the encoder the training vectors came from (encoderId)");
        }
        if (reduction == null) {
            throw new IllegalArgumentException("give a reduction (HeadReduction.none() for none)");
        }
        if (classes.size() > 2 && (threshold.kind() != ThresholdRule.Kind.FIXED
                || calibration != ScoreCalibration.NATIVE)) {
            throw new IllegalArgumentException("threshold " + threshold.method() + " and calibration "
                    + calibration.id() + " need a two-class head, got classes " + classes
                    + "; use fixed-0.5 and native for more");
        }
    }

    /** REAL/FAKE with FAKE positive, logistic regression, L2-normalised and standardised, 20% held out. */
    public static HeadTrainingOptions detection(String encoderId) {
        return defaults(HeadStage.DETECTION, List.of("REAL", "FAKE"), "FAKE", encoderId);
    }

    /** gan/diffusion with diffusion positive, otherwise as {@link #detection(String)}. */
    public static HeadTrainingOptions family(String encoderId) {
        return defaults(HeadStage.FAMILY, List.of("gan", "diffusion"), "diffusion", encoderId);
    }

    private static HeadTrainingOptions defaults(HeadStage stage, List<String> classes, String positive,
            String encoderId) {
        HeadAlgorithm algorithm = HeadAlgorithm.LOGISTIC_REGRESSION;
        return new HeadTrainingOptions(defaultId(stage, algorithm), stage, classes, positive, encoderId, algorithm,
                true, true, HeadReduction.none(), 0.2, 42, ThresholdRule.FIXED_HALF, ScoreCalibration.NATIVE);
    }

    private static String defaultId(HeadStage stage, HeadAlgorithm algorithm) {
        return stage.name().toLowerCase(Locale.ROOT) + "-" + algorithm.id();
    }

    public HeadTrainingOptions withId(String newId) {
        return new HeadTrainingOptions(newId, stage, classes, positiveClass, encoderId, algorithm, l2Normalize,
                standardize, reduction, validationFraction, seed, threshold,
                calibration);
    }

    /** Another algorithm; the id follows it when it was the default one. */
    public HeadTrainingOptions withAlgorithm(HeadAlgorithm newAlgorithm) {
        String newId = id.equals(defaultId(stage, algorithm)) ? defaultId(stage, newAlgorithm) : id;
        return new HeadTrainingOptions(newId, stage, classes, positiveClass, encoderId, newAlgorithm, l2Normalize,
                standardize, reduction, validationFraction, seed, threshold,
                calibration);
    }

    public HeadTrainingOptions withPreprocessing(boolean newL2Normalize, boolean newStandardize) {
        return new HeadTrainingOptions(id, stage, classes, positiveClass, encoderId, algorithm, newL2Normalize,
                newStandardize, reduction, validationFraction, seed, threshold,
                calibration);
    }

    /** Projects onto {@code dimensions} principal components before the model; 0 turns PCA off. */
    public HeadTrainingOptions withPca(int dimensions) {
        return withReduction(HeadReduction.pca(dimensions));
    }

    /** Reduces the preprocessed vectors before the model: none by default. */
    public HeadTrainingOptions withReduction(HeadReduction newReduction) {
        return new HeadTrainingOptions(id, stage, classes, positiveClass, encoderId, algorithm, l2Normalize,
                standardize, newReduction, validationFraction, seed, threshold, calibration);
    }

    public HeadTrainingOptions withValidationFraction(double fraction) {
        return new HeadTrainingOptions(id, stage, classes, positiveClass, encoderId, algorithm, l2Normalize,
                standardize, reduction, fraction, seed, threshold, calibration);
    }

    public HeadTrainingOptions withSeed(long newSeed) {
        return new HeadTrainingOptions(id, stage, classes, positiveClass, encoderId, algorithm, l2Normalize,
                standardize, reduction, validationFraction, newSeed, threshold, calibration);
    }

    /** How the threshold is chosen: fixed 0.5 by default. */
    public HeadTrainingOptions withThreshold(ThresholdRule rule) {
        return new HeadTrainingOptions(id, stage, classes, positiveClass, encoderId, algorithm, l2Normalize,
                standardize, reduction, validationFraction, seed, rule, calibration);
    }

    /** How the score is made a probability: the algorithm's own by default. */
    public HeadTrainingOptions withCalibration(ScoreCalibration newCalibration) {
        return new HeadTrainingOptions(id, stage, classes, positiveClass, encoderId, algorithm, l2Normalize,
                standardize, reduction, validationFraction, seed, threshold, newCalibration);
    }
}
