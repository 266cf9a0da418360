package dev.aidetect.heads;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a vector head is and how it was made; stored as {@code head.json} inside the head artifact.
 *
 * @param formatVersion version of this artifact layout
 * @param id stable model id, e.g. {@code detection-logistic-regression}
 * @param version content checksum prefix: equal models have equal versions
 * @param stage the stage the head decides for
 * @param classes class names in the model's index order, e.g. {@code [REAL, FAKE]}
 * @param positiveClass the class whose probability is the head's score
 * @param encoder the encoder (and its vector size) the head was trained on; other vectors are refused
 * @param preprocessing what is done to a raw encoder vector before the model sees it
 * @param threshold a binary head decides the positive class when its score is at least this
 * @param thresholdMethod how the threshold was chosen: {@code fixed-0.5}, {@code best-accuracy-on-validation} or
 *        {@code fpr<=0.05-on-validation}
 * @param algorithm the learning algorithm, e.g. {@code logistic-regression}
 * @param hyperparameters the algorithm's settings, as Smile names them
 * @param training what the head was trained on
 * @param validation metrics on the held-out split
 * @param trainedAt when training finished
 * @param calibration how the score was made a probability: {@code native-posterior}, Platt scaling or isotonic
 *        regression (format 2)
 * @param reduction what reduced the preprocessed vector before the model (format 3; {@code null} in older artifacts,
 *        whose PCA, if any, is in {@code hyperparameters} as {@code pca.dimensions})
 */
public record HeadMetadata(int formatVersion, String id, String version, HeadStage stage, List<String> classes,
        String positiveClass, Encoder encoder, Preprocessing preprocessing, double threshold, String thresholdMethod,
        String algorithm, Map<String, String> hyperparameters, Training training, Validation validation,
        Instant trainedAt, String calibration, Reduction reduction) {

    /**
     * The layout this code writes: format 3 adds {@code reduction} and the autoencoder in the model; it also reads
     * format 2 and format 1 (no calibration field, logistic regression only).
     */
    public static final int FORMAT_VERSION = 3;
    static final int OLDEST_READABLE = 1;

    /**
     * @param id encoder model id, as in {@code ImageEmbedding.encodedBy.id}
     * @param embeddingSize length of the vectors it produces
     */
    public record Encoder(String id, int embeddingSize) {
    }

    /**
     * @param examplesPerClass number of labelled vectors per class, before the split
     * @param trainCount vectors the model was fitted on
     * @param validationCount vectors held out for the validation metrics
     * @param validationFraction share of each class held out
     * @param seed seed of the split and the algorithm
     * @param augmentedCount vectors of augmented copies of the training images fitted on besides the
     *        {@code trainCount} originals (format 3; 0 in older artifacts)
     */
    public record Training(Map<String, Integer> examplesPerClass, int trainCount, int validationCount,
            double validationFraction, long seed, int augmentedCount) {
    }

    /**
     * Metrics of the positive class on the held-out split.
     *
     * @param count held-out vectors
     * @param accuracy share decided correctly at the head's threshold
     * @param averagePrecision area under the precision-recall curve (threshold-free)
     * @param auc area under the ROC curve (threshold-free)
     */
    public record Validation(int count, double accuracy, double averagePrecision, double auc) {
    }

    /**
     * What reduced the preprocessed vector before the model.
     *
     * @param method {@code none}, {@code pca} or {@code autoencoder}
     * @param dimensions the reduced size (0 for none)
     * @param hidden the autoencoder's hidden layer (0 otherwise)
     * @param epochs the autoencoder's training epochs (0 otherwise)
     * @param reconstructionMse the autoencoder's mean squared reconstruction error per component on its training
     *        vectors, last epoch ({@code null} otherwise)
     */
    public record Reduction(String method, int dimensions, int hidden, int epochs, Double reconstructionMse) {
    }

    int positiveIndex() {
        return classes.indexOf(positiveClass);
    }

    HeadMetadata withValidation(Validation newValidation, Instant newTrainedAt) {
        return new HeadMetadata(formatVersion, id, version, stage, classes, positiveClass, encoder, preprocessing,
                threshold, thresholdMethod, algorithm, hyperparameters, training, newValidation, newTrainedAt,
                calibration, reduction);
    }

    HeadMetadata withVersion(String newVersion, Instant newTrainedAt) {
        return new HeadMetadata(formatVersion, id, newVersion, stage, classes, positiveClass, encoder, preprocessing,
                threshold, thresholdMethod, algorithm, hyperparameters, training, validation, newTrainedAt,
                calibration, reduction);
    }

    HeadMetadata withThreshold(double newThreshold, String newThresholdMethod) {
        return new HeadMetadata(formatVersion, id, version, stage, classes, positiveClass, encoder, preprocessing,
                newThreshold, newThresholdMethod, algorithm, hyperparameters, training, validation, trainedAt,
                calibration, reduction);
    }
}
