package dev.aidetect.tools.eval;

import java.util.List;

/**
 * Open-set decisions from scored images: a threshold that keeps a target share of correctly named known images,
 * and the threshold-free AUROC of known against held-out images.
 */
final class OpenSetThresholds {
    private OpenSetThresholds() {
    }

    /**
     * The score at or above which {@code truePositiveRate} of the correctly named known images lie (nearest rank
     * from below), so that share of them keeps its name.
     */
    static double atTruePositiveRate(List<Scored> calibration, OpenSetScore kind, double truePositiveRate) {
        double[] scores = calibration.stream().filter(s -> s.known() && s.correct()).mapToDouble(s -> s.score(kind))
                .sorted().toArray();
        if (scores.length == 0) {
            throw new IllegalArgumentException("no correctly named known image to calibrate on; train longer");
        }
        return scores[(int) Math.floor((1 - truePositiveRate) * (scores.length - 1))];
    }

    /** Probability that a known image scores higher than a held-out one (ties count half). */
    static double auroc(List<Scored> test, OpenSetScore kind) {
        double[] known = test.stream().filter(Scored::known).mapToDouble(s -> s.score(kind)).toArray();
        double[] unseen = test.stream().filter(s -> !s.known()).mapToDouble(s -> s.score(kind)).toArray();
        double wins = 0;
        for (double k : known) {
            for (double u : unseen) {
                wins += k > u ? 1 : k == u ? 0.5 : 0;
            }
        }
        return wins / ((double) known.length * unseen.length);
    }
}
