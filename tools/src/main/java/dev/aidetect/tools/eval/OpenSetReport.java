package dev.aidetect.tools.eval;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints what an open-set attribution evaluation found: the per-generator confusion table at the served rule (max
 * softmax, threshold keeping 95% of correctly named known calibration images), and the trade-off between keeping
 * known generators' names and calling the held-out one unknown, for each score and a few thresholds.
 */
final class OpenSetReport {
    static final double SERVED_TRUE_POSITIVE_RATE = 0.95;
    private static final double[] TRUE_POSITIVE_RATES = {0.99, 0.95, 0.90, 0.80};
    private static final String UNKNOWN = "unknown";

    private OpenSetReport() {
    }

    static void print(List<String> classes, String heldOut, List<Scored> calibration, List<Scored> test,
            PrintWriter out) {
        double threshold = OpenSetThresholds.atTruePositiveRate(calibration, OpenSetScore.MAX_SOFTMAX,
                SERVED_TRUE_POSITIVE_RATE);
        out.printf(Locale.ROOT, "%nRows: true generator of fresh test photos; columns: the network's answer with "
                + "max softmax >= %.4f (keeps %.0f%% of correctly named known calibration images).%n", threshold,
                100 * SERVED_TRUE_POSITIVE_RATE);
        confusion(classes, heldOut, test, threshold, out);
        out.printf(Locale.ROOT, "%nOpen-set trade-off (threshold set on known calibration images; AUROC: known vs "
                + "held-out test images, threshold-free):%n");
        out.printf(Locale.ROOT, "%-13s %6s %10s %12s %14s %14s %18s%n", "score", "AUROC", "kept TPR", "threshold",
                "known correct", "known unknown", "held-out unknown");
        for (OpenSetScore kind : OpenSetScore.values()) {
            if (!test.getFirst().has(kind)) {
                continue;
            }
            double auroc = OpenSetThresholds.auroc(test, kind);
            for (double rate : TRUE_POSITIVE_RATES) {
                double t = OpenSetThresholds.atTruePositiveRate(calibration, kind, rate);
                out.printf(Locale.ROOT, "%-13s %6.3f %10.2f %12.4f %14.3f %14.3f %18.3f%n", kind.label(), auroc,
                        rate, t, share(test, s -> s.known() && s.correct() && s.score(kind) >= t, Scored::known),
                        share(test, s -> s.known() && s.score(kind) < t, Scored::known),
                        share(test, s -> !s.known() && s.score(kind) < t, s -> !s.known()));
            }
        }
    }

    private static void confusion(List<String> classes, String heldOut, List<Scored> test, double threshold,
            PrintWriter out) {
        List<String> columns = new ArrayList<>(classes);
        columns.add(UNKNOWN);
        String rowHead = heldOut + " (held out)";
        int width = Math.max(8, columns.stream().mapToInt(String::length).max().orElse(0) + 1);
        StringBuilder header = new StringBuilder(String.format("%-" + rowHead.length() + "s", "true \\ answer"));
        columns.forEach(c -> header.append(String.format("%" + width + "s", c)));
        out.println(header.append("   correct"));
        for (int truth = 0; truth <= classes.size(); truth++) {
            int row = truth == classes.size() ? Scored.HELD_OUT : truth;
            List<Scored> members = test.stream().filter(s -> s.truth() == row).toList();
            StringBuilder line = new StringBuilder(
                    String.format("%-" + rowHead.length() + "s", row == Scored.HELD_OUT ? rowHead : classes.get(row)));
            int[] counts = new int[columns.size()];
            members.forEach(s -> counts[s.score(OpenSetScore.MAX_SOFTMAX) >= threshold
                    ? s.predicted()
                    : classes.size()]++);
            for (int count : counts) {
                line.append(String.format("%" + width + "d", count));
            }
            int right = counts[row == Scored.HELD_OUT ? classes.size() : row];
            out.println(line.append(String.format(Locale.ROOT, "%10.3f", (double) right / members.size())));
        }
    }

    private static double share(List<Scored> items, java.util.function.Predicate<Scored> hit,
            java.util.function.Predicate<Scored> among) {
        long total = items.stream().filter(among).count();
        return total == 0 ? Double.NaN : (double) items.stream().filter(hit).count() / total;
    }
}
