package dev.aidetect.heads;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import smile.validation.metric.AUC;

import dev.aidetect.heads.natives.OpenBlas;

/** Threshold-free and at-threshold metrics of one positive class against the rest. */
public final class BinaryMetrics {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private BinaryMetrics() {
    }

    /**
     * Average precision as scikit-learn defines it: the sum over distinct score thresholds, from high to low, of the
     * recall gained times the precision there. Tied scores enter together, so their order does not matter.
     *
     * @param positive 1 for a positive example, 0 otherwise
     * @param scores the positive class's score of each example
     */
    public static double averagePrecision(int[] positive, double[] scores) {
        int positives = Arrays.stream(positive).sum();
        if (positives == 0) {
            return Double.NaN;
        }
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double ap = 0;
        double previousRecall = 0;
        int truePositives = 0;
        for (int k = 0; k < order.length; k++) {
            truePositives += positive[order[k]];
            boolean lastOfTie = k + 1 == order.length || scores[order[k + 1]] != scores[order[k]];
            if (lastOfTie) {
                double recall = (double) truePositives / positives;
                ap += (recall - previousRecall) * truePositives / (k + 1);
                previousRecall = recall;
            }
        }
        return ap;
    }

    /** Area under the ROC curve; NaN when only one class is present. */
    public static double auc(int[] positive, double[] scores) {
        int positives = Arrays.stream(positive).sum();
        if (positives == 0 || positives == positive.length) {
            return Double.NaN;
        }
        return AUC.of(positive, scores);
    }

    /** Share of equal entries. */
    public static double accuracy(int[] truth, int[] predicted) {
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            correct += truth[i] == predicted[i] ? 1 : 0;
        }
        return truth.length == 0 ? Double.NaN : (double) correct / truth.length;
    }
}
