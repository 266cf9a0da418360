package dev.aidetect.heads;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * How a binary head's threshold is chosen from its validation scores: fixed at 0.5, the one with the best validation
 * accuracy, or the lowest whose false-positive rate on the validation negatives (REAL for detection) is at most a
 * target. Heads on CLIP features rank well but their 0.5 threshold often does not transfer, hence the choice.
 *
 * @param kind the rule
 * @param targetFpr the largest false-positive rate allowed, for {@link Kind#TARGET_FPR}; NaN otherwise
 */
public record ThresholdRule(Kind kind, double targetFpr) {
    /** The rules. */
    public enum Kind {
        FIXED, BEST_ACCURACY, TARGET_FPR
    }

    /** 0.5, whatever the validation data: the default. */
    public static final ThresholdRule FIXED_HALF = new ThresholdRule(Kind.FIXED, Double.NaN);
    /** The threshold with the best accuracy on the validation split. */
    public static final ThresholdRule BEST_ACCURACY = new ThresholdRule(Kind.BEST_ACCURACY, Double.NaN);
    private static final double HALF = 0.5;

    public ThresholdRule {
        if (kind == Kind.TARGET_FPR && !(targetFpr >= 0 && targetFpr <= 1)) {
            throw new IllegalArgumentException("a target false-positive rate is between 0 and 1, got " + targetFpr);
        }
    }

    /** The lowest threshold whose validation false-positive rate is at most {@code fpr}. */
    public static ThresholdRule targetFpr(double fpr) {
        return new ThresholdRule(Kind.TARGET_FPR, fpr);
    }

    /** Parses {@code fixed-0.5}, {@code best-accuracy} or {@code fpr=<rate>}, as the command line writes them. */
    public static ThresholdRule of(String text) {
        if (text.equals("fixed-0.5")) {
            return FIXED_HALF;
        }
        if (text.equals("best-accuracy")) {
            return BEST_ACCURACY;
        }
        if (text.startsWith("fpr=")) {
            try {
                return targetFpr(Double.parseDouble(text.substring(4)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has no number after fpr=; write e.g. fpr=0.05", e);
            }
        }
        throw new IllegalArgumentException(
                "unknown threshold rule '" + text + "'; use fixed-0.5, best-accuracy or fpr=<rate> (e.g. fpr=0.05)");
    }

    /** How the threshold was chosen, as {@code head.json} records it. */
    public String method() {
        return switch (kind) {
            case FIXED -> "fixed-0.5";
            case BEST_ACCURACY -> "best-accuracy-on-validation";
            case TARGET_FPR -> "fpr<=" + BigDecimal.valueOf(targetFpr).stripTrailingZeros().toPlainString()
                    + "-on-validation";
        };
    }

    /**
     * @param positive 1 for a validation vector of the positive class, 0 otherwise
     * @param scores the positive class's score of each; the head decides positive when the score is at least the
     *        threshold
     */
    public double choose(int[] positive, double[] scores) {
        return switch (kind) {
            case FIXED -> HALF;
            case BEST_ACCURACY -> bestAccuracy(positive, scores);
            case TARGET_FPR -> lowestWithinFpr(positive, scores);
        };
    }

    /** Among every cut of the scores (and 0.5), the most accurate; ties go to the one nearest 0.5. */
    private static double bestAccuracy(int[] positive, double[] scores) {
        double max = Arrays.stream(scores).max().orElse(HALF);
        double[] candidates = DoubleStream.concat(Arrays.stream(scores), DoubleStream.of(HALF, Math.nextUp(max)))
                .distinct().toArray();
        double best = HALF;
        int bestCorrect = correctAt(HALF, positive, scores);
        for (double t : candidates) {
            int correct = correctAt(t, positive, scores);
            if (correct > bestCorrect || correct == bestCorrect && Math.abs(t - HALF) < Math.abs(best - HALF)) {
                best = t;
                bestCorrect = correct;
            }
        }
        return best;
    }

    private static int correctAt(double threshold, int[] positive, double[] scores) {
        return (int) IntStream.range(0, scores.length)
                .filter(i -> (scores[i] >= threshold) == (positive[i] == 1))
                .count();
    }

    /** Just above the negative score that would be one false positive too many. */
    private double lowestWithinFpr(int[] positive, double[] scores) {
        double[] negatives = IntStream.range(0, scores.length).filter(i -> positive[i] == 0)
                .mapToDouble(i -> scores[i]).sorted().toArray();
        if (negatives.length == 0) {
            throw new IllegalArgumentException("no negative vectors in the validation split to measure the "
                    + "false-positive rate on; add negative examples or raise the validation fraction");
        }
        int allowed = (int) Math.floor(targetFpr * negatives.length + 1e-9);
        if (allowed >= negatives.length) {
            return 0;
        }
        return Math.nextUp(negatives[negatives.length - 1 - allowed]);
    }
}
