package dev.aidetect.heads.attribution;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import ai.djl.Model;

/**
 * The epochs of one attribution training run, including those of a run it resumes: which epoch comes next, which
 * was best, how long ago. Saves each epoch to the run's {@link Checkpoints}.
 */
final class EpochHistory {
    private final Checkpoints checkpoints;
    private final List<EpochReport> reports;

    EpochHistory(Checkpoints checkpoints, List<EpochReport> resumed) {
        this.checkpoints = checkpoints;
        this.reports = resumed;
    }

    /**
     * When resuming: puts the best earlier epoch's weights into {@code out} (the network directory may be new), then
     * the last epoch's into the model, to train on from there.
     */
    void restore(Model model, Path out) throws IOException {
        if (reports.isEmpty()) {
            return;
        }
        checkpoints.copy(best().epoch(), out.resolve(AttributionMetadata.PARAMETERS_PREFIX + "-0000.params"));
        checkpoints.restore(model, reports.getLast().epoch());
    }

    int nextEpoch() {
        return reports.size() + 1;
    }

    /** Records an epoch, marked best when it beats every earlier one. */
    EpochReport add(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationAccuracy,
            double validationLoss, Duration took) {
        EpochReport candidate = new EpochReport(epoch, epochs, trainLoss, trainAccuracy, validationAccuracy,
                validationLoss, false, took);
        EpochReport report = candidate.beats(bestOrNull())
                ? new EpochReport(epoch, epochs, trainLoss, trainAccuracy, validationAccuracy, validationLoss, true,
                        took)
                : candidate;
        reports.add(report);
        return report;
    }

    void save(Model model) throws IOException {
        checkpoints.save(model, reports);
    }

    EpochReport best() {
        return Objects.requireNonNull(bestOrNull(), "no epoch recorded yet");
    }

    int epochsSinceBest() {
        return reports.getLast().epoch() - best().epoch();
    }

    private EpochReport bestOrNull() {
        return reports.stream().filter(EpochReport::best).reduce((first, later) -> later).orElse(null);
    }
}
