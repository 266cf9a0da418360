package dev.aidetect.heads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Threshold-free and at-threshold metrics of one positive class against the rest, defined as the reference
 * implementations define them (scikit-learn's {@code average_precision_score}, {@code roc_auc_score},
 * {@code roc_curve}, {@code precision_recall_curve} and {@code accuracy_score}; UniversalFakeDetect's best-threshold
 * accuracy): {@code BinaryMetricsSklearnTest} in tools holds them to Debian's scikit-learn. Pure functions of the
 * labels and scores; tied scores always enter together, so their order never matters. An example is called positive
 * at threshold {@code t} when its score is {@code >= t}, as the heads decide.
 */
public final class BinaryMetrics {
    private BinaryMetrics() {
    }

    /**
     * The curve every metric here reads: the counts above each distinct score, from the highest score down.
     *
     * @param thresholds the distinct scores, descending
     * @param truePositives positives with a score {@code >=} each threshold
     * @param falsePositives negatives with a score {@code >=} each threshold
     */
    private record Cuts(double[] thresholds, int[] truePositives, int[] falsePositives, int positives,
            int negatives) {
        static Cuts of(int[] positive, double[] scores) {
            if (positive.length != scores.length) {
                throw new IllegalArgumentException(positive.length + " labels but " + scores.length + " scores");
            }
            Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
            double[] thresholds = new double[scores.length];
            int[] tp = new int[scores.length];
            int[] fp = new int[scores.length];
            int cuts = 0;
            int truePositives = 0;
            int falsePositives = 0;
            for (int k = 0; k < order.length; k++) {
                if (Double.isNaN(scores[order[k]])) {
                    throw new IllegalArgumentException("score " + order[k] + " is NaN; every example needs a score");
                }
                truePositives += positive[order[k]] == 1 ? 1 : 0;
                falsePositives += positive[order[k]] == 1 ? 0 : 1;
                if (k + 1 == order.length || scores[order[k + 1]] != scores[order[k]]) {
                    thresholds[cuts] = scores[order[k]];
                    tp[cuts] = truePositives;
                    fp[cuts] = falsePositives;
                    cuts++;
                }
            }
            return new Cuts(Arrays.copyOf(thresholds, cuts), Arrays.copyOf(tp, cuts), Arrays.copyOf(fp, cuts),
                    truePositives, falsePositives);
        }

        int size() {
            return thresholds.length;
        }
    }

    /**
     * Average precision as scikit-learn's {@code average_precision_score} defines it: the sum over distinct score
     * thresholds, from high to low, of the recall gained times the precision there (step-wise, no interpolation).
     *
     * @param positive 1 for a positive example, 0 otherwise
     * @param scores the positive class's score of each example
     * @return NaN when there is no positive example
     */
    public static double averagePrecision(int[] positive, double[] scores) {
        Cuts cuts = Cuts.of(positive, scores);
        if (cuts.positives() == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double previousRecall = 0;
        for (int k = 0; k < cuts.size(); k++) {
            double recall = (double) cuts.truePositives()[k] / cuts.positives();
            ap += (recall - previousRecall) * cuts.truePositives()[k]
                    / (cuts.truePositives()[k] + cuts.falsePositives()[k]);
            previousRecall = recall;
        }
        return ap;
    }

    /**
     * Area under the ROC curve as scikit-learn's {@code roc_auc_score}: the trapezoids under the curve through every
     * distinct threshold, so a tie between a positive and a negative counts a half.
     *
     * @return NaN when only one class is present
     */
    public static double auc(int[] positive, double[] scores) {
        Cuts cuts = Cuts.of(positive, scores);
        if (cuts.positives() == 0 || cuts.negatives() == 0) {
            return Double.NaN;
        }
        double area = 0;
        int previousTp = 0;
        int previousFp = 0;
        for (int k = 0; k < cuts.size(); k++) {
            int tp = cuts.truePositives()[k];
            int fp = cuts.falsePositives()[k];
            area += (double) (fp - previousFp) * (tp + previousTp) / 2;
            previousTp = tp;
            previousFp = fp;
        }
        return area / ((double) cuts.positives() * cuts.negatives());
    }

    /** Share of equal entries; NaN for none. */
    public static double accuracy(int[] truth, int[] predicted) {
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            correct += truth[i] == predicted[i] ? 1 : 0;
        }
        return truth.length == 0 ? Double.NaN : (double) correct / truth.length;
    }

    /** The share of the examples of class {@code c} that were decided {@code c} (real or fake accuracy); NaN for none. */
    public static double classAccuracy(int[] truth, int[] predicted, int c) {
        int total = 0;
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == c) {
                total++;
                right += predicted[i] == c ? 1 : 0;
            }
        }
        return total == 0 ? Double.NaN : (double) right / total;
    }

    /** Accuracy when a score {@code >= threshold} is called positive; NaN for no examples. */
    public static double accuracyAt(int[] positive, double[] scores, double threshold) {
        int[] predicted = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            predicted[i] = scores[i] >= threshold ? 1 : 0;
        }
        return accuracy(positive, predicted);
    }

    /**
     * The oracle threshold, as UniversalFakeDetect reports it: the best accuracy over every cut point (each distinct
     * score, and above the highest, where everything is called negative).
     *
     * @param threshold the lowest threshold that reaches the best accuracy ({@code +Infinity}: call all negative)
     * @param accuracy the accuracy there
     */
    public record BestThreshold(double threshold, double accuracy) {
    }

    /** The oracle threshold and its accuracy; NaN for no examples. */
    public static BestThreshold bestThreshold(int[] positive, double[] scores) {
        Cuts cuts = Cuts.of(positive, scores);
        int n = scores.length;
        if (n == 0) {
            return new BestThreshold(Double.NaN, Double.NaN);
        }
        int bestCorrect = cuts.negatives();
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < cuts.size(); k++) {
            int correct = cuts.truePositives()[k] + cuts.negatives() - cuts.falsePositives()[k];
            if (correct >= bestCorrect) {
                bestCorrect = correct;
                best = cuts.thresholds()[k];
            }
        }
        return new BestThreshold(best, (double) bestCorrect / n);
    }

    /** A point of the ROC curve: calling scores {@code >= threshold} positive gives these rates. */
    public record RocPoint(double threshold, double falsePositiveRate, double truePositiveRate) {
    }

    /**
     * The ROC curve as scikit-learn's {@code roc_curve(..., drop_intermediate=False)}: (0, 0) at threshold
     * {@code +Infinity}, then one point per distinct score, descending. A rate whose class is absent is NaN.
     */
    public static List<RocPoint> rocCurve(int[] positive, double[] scores) {
        Cuts cuts = Cuts.of(positive, scores);
        List<RocPoint> points = new ArrayList<>(cuts.size() + 1);
        points.add(new RocPoint(Double.POSITIVE_INFINITY, rate(0, cuts.negatives()), rate(0, cuts.positives())));
        for (int k = 0; k < cuts.size(); k++) {
            points.add(new RocPoint(cuts.thresholds()[k], rate(cuts.falsePositives()[k], cuts.negatives()),
                    rate(cuts.truePositives()[k], cuts.positives())));
        }
        return points;
    }

    /** A point of the precision-recall curve at a threshold. */
    public record PrPoint(double threshold, double precision, double recall) {
    }

    /**
     * The precision-recall curve as scikit-learn's {@code precision_recall_curve}, in ascending threshold order: one
     * point per distinct score from the highest one at which every positive is found up to the highest score, then
     * the end point (precision 1, recall 0) at threshold {@code +Infinity}. Empty when there is no positive.
     */
    public static List<PrPoint> precisionRecallCurve(int[] positive, double[] scores) {
        Cuts cuts = Cuts.of(positive, scores);
        List<PrPoint> points = new ArrayList<>();
        if (cuts.positives() == 0) {
            return points;
        }
        int last = 0;
        while (cuts.truePositives()[last] < cuts.positives()) {
            last++;
        }
        for (int k = last; k >= 0; k--) {
            int tp = cuts.truePositives()[k];
            points.add(new PrPoint(cuts.thresholds()[k], (double) tp / (tp + cuts.falsePositives()[k]),
                    (double) tp / cuts.positives()));
        }
        points.add(new PrPoint(Double.POSITIVE_INFINITY, 1, 0));
        return points;
    }

    /**
     * One bin of a reliability table.
     *
     * @param lower the bin's lowest score (inclusive)
     * @param upper its highest (exclusive, but 1 is in the last bin)
     * @param count examples whose score falls in it
     * @param meanScore their mean score: the predicted probability of the positive class; NaN when empty
     * @param positiveRate the share of positives among them: the observed frequency; NaN when empty
     */
    public record Bin(double lower, double upper, int count, double meanScore, double positiveRate) {
    }

    /**
     * A reliability table and its expected calibration error.
     *
     * @param ece the sum over bins of the bin's share of examples times |positive rate - mean score|
     */
    public record Calibration(List<Bin> bins, double ece) {
    }

    /**
     * How well scores read as probabilities of the positive class: {@code bins} equal-width bins over [0, 1] (a score
     * outside is put in the first or last), each with its mean score and its share of positives, as scikit-learn's
     * {@code calibration_curve(strategy="uniform")} tabulates them; the ECE weighs each bin's gap by its count.
     */
    public static Calibration calibration(int[] positive, double[] scores, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("a reliability table needs at least one bin, got " + bins);
        }
        int[] count = new int[bins];
        double[] scoreSum = new double[bins];
        int[] positives = new int[bins];
        for (int i = 0; i < scores.length; i++) {
            int bin = Math.clamp((int) Math.floor(scores[i] * bins), 0, bins - 1);
            count[bin]++;
            scoreSum[bin] += scores[i];
            positives[bin] += positive[i] == 1 ? 1 : 0;
        }
        List<Bin> table = new ArrayList<>(bins);
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            double mean = count[b] == 0 ? Double.NaN : scoreSum[b] / count[b];
            double rate = count[b] == 0 ? Double.NaN : (double) positives[b] / count[b];
            table.add(new Bin((double) b / bins, (double) (b + 1) / bins, count[b], mean, rate));
            if (count[b] > 0) {
                ece += (double) count[b] / scores.length * Math.abs(rate - mean);
            }
        }
        return new Calibration(List.copyOf(table), scores.length == 0 ? Double.NaN : ece);
    }

    private static double rate(int count, int of) {
        return of == 0 ? Double.NaN : (double) count / of;
    }
}
