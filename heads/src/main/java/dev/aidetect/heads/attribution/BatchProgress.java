package dev.aidetect.heads.attribution;

import java.time.Duration;
import java.util.Locale;

/**
 * Progress of training within an epoch, after one optimiser step.
 *
 * @param epoch the epoch under way, from 1
 * @param epochs most epochs
 * @param batch batches done in this epoch
 * @param batches batches in an epoch
 * @param batchSize images per batch
 * @param elapsed time since the epoch began
 * @param loss mean training loss of the epoch so far
 * @param accuracy training accuracy of the epoch so far
 * @param validation how long the last validation pass took (zero before the first), counted into the time left
 */
public record BatchProgress(int epoch, int epochs, int batch, int batches, int batchSize, Duration elapsed,
        double loss, double accuracy, Duration validation) {

    /** Training images per second in this epoch so far. */
    public double imagesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : batch * (double) batchSize / seconds;
    }

    /** Time left in this epoch's training steps, at this epoch's pace so far. */
    public Duration epochLeft() {
        return perBatch().multipliedBy(batches - batch);
    }

    /**
     * Time left in the whole run if it trains every epoch: this epoch's remaining steps, the later epochs' steps at
     * this pace, and a validation pass per epoch as long as the last one.
     */
    public Duration runLeft() {
        long laterEpochs = epochs - epoch;
        return epochLeft().plus(perBatch().multipliedBy(laterEpochs * batches))
                .plus(validation.multipliedBy(laterEpochs + 1));
    }

    private Duration perBatch() {
        return batch == 0 ? Duration.ZERO : elapsed.dividedBy(batch);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "epoch %d/%d batch %d/%d (%d%%): %.1f images/s, loss %.4f, accuracy %.3f, epoch left %s, run left %s",
                epoch, epochs, batch, batches, 100L * batch / Math.max(1, batches), imagesPerSecond(), loss,
                accuracy, minutes(epochLeft()), minutes(runLeft()));
    }

    /** {@code 3 min 07 s}, or {@code 42 s} under a minute. */
    static String minutes(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 60
                ? seconds + " s"
                : String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
}
