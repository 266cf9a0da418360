package dev.aidetect.heads.attribution;

import java.time.Duration;

/**
 * Progress of attribution training after one epoch.
 *
 * @param epoch the epoch just finished, from 1
 * @param epochs most epochs (training may stop earlier, see {@link AttributionOptions#patience()})
 * @param trainLoss mean softmax cross-entropy over the epoch's training batches
 * @param trainAccuracy share of training crops classified correctly during the epoch
 * @param validationAccuracy share of held-out centre crops classified correctly after the epoch
 * @param validationLoss mean softmax cross-entropy on the held-out centre crops
 * @param best whether this epoch is the best so far (higher validation accuracy, or equal with lower loss), so its
 *        weights are the ones kept
 * @param took wall time of the epoch
 */
public record EpochReport(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationAccuracy,
        double validationLoss, boolean best, Duration took) {

    /** Whether this epoch's validation result beats {@code other}'s: higher accuracy, or equal with lower loss. */
    boolean beats(EpochReport other) {
        return other == null || validationAccuracy > other.validationAccuracy
                || validationAccuracy == other.validationAccuracy && validationLoss < other.validationLoss;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "epoch %d/%d: loss %.4f, train accuracy %.3f, validation accuracy %.3f, validation loss %.4f%s "
                        + "(%.1f s)",
                epoch, epochs, trainLoss, trainAccuracy, validationAccuracy, validationLoss, best ? ", best" : "",
                took.toMillis() / 1000.0);
    }
}
