package dev.aidetect.heads.attribution;

/**
 * How a real/fake network ({@link DetectionNetwork}) decides, and how well it did on its held-out images: it calls an
 * image {@code positiveClass} when that class's probability is at least {@code threshold}.
 *
 * @param positiveClass the class whose probability is the score ({@code FAKE})
 * @param threshold the serving threshold on that probability
 * @param method how the threshold was chosen (a {@code ThresholdRule}'s method, e.g. {@code best-accuracy-on-validation})
 * @param validationAccuracy accuracy at the threshold on the held-out images (optimistic when the threshold was fitted
 *        on them)
 * @param validationAp average precision of the score on the held-out images
 * @param validationAuc ROC AUC of the score on the held-out images
 */
public record DetectionThreshold(String positiveClass, double threshold, String method, double validationAccuracy,
        double validationAp, double validationAuc) {
}
