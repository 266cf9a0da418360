package dev.aidetect.heads;

import java.time.Duration;

/**
 * Progress of attribution training after one epoch.
 *
 * @param epoch the epoch just finished, from 1
 * @param epochs all epochs
 * @param trainLoss mean softmax cross-entropy over the epoch's training batches
 * @param trainAccuracy share of training crops classified correctly during the epoch
 * @param validationAccuracy share of held-out centre crops classified correctly after the epoch
 * @param took wall time of the epoch
 */
public record EpochReport(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationAccuracy,
        Duration took) {

    @Override
    public String toString() {
        return String.format("epoch %d/%d: loss %.4f, train accuracy %.3f, validation accuracy %.3f (%.1f s)", epoch,
                epochs, trainLoss, trainAccuracy, validationAccuracy, took.toMillis() / 1000.0);
    }
}
