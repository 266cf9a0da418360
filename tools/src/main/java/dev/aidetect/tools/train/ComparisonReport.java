package dev.aidetect.tools.train;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import dev.aidetect.heads.HeadComparison;
import dev.aidetect.heads.HeadStage;

/** Prints a head comparison of one stage as a table, one row per algorithm, then the {@code best:} line. */
final class ComparisonReport {
    private ComparisonReport() {
    }

    static void print(HeadComparison.Result result, HeadStage stage, List<String> classes, int folds,
            PrintWriter out) {
        out.printf(Locale.ROOT, "%n%s head: %d-fold cross-validation, %s vs %s (%s positive); scores of vectors each "
                + "head did not train on, decided at the threshold each fold's head chose%n",
                stage.name().toLowerCase(Locale.ROOT), folds, classes.get(0), classes.get(1), classes.get(1));
        String header = String.format(Locale.ROOT, "%-20s %8s %8s %8s %7s %7s %9s %10s", "head", "accuracy",
                classes.get(0).toLowerCase(Locale.ROOT) + "-acc", classes.get(1).toLowerCase(Locale.ROOT) + "-acc",
                "AP", "AUC",
                "train-ms", "artifact");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (HeadComparison.Row row : result.rows()) {
            if (row.failure() != null) {
                out.printf(Locale.ROOT, "%-20s failed: %s%n", row.algorithm().id(), row.failure());
                continue;
            }
            out.printf(Locale.ROOT, "%-20s %8.4f %8.4f %8.4f %7.4f %7.4f %9d %10s%n", row.algorithm().id(),
                    row.accuracy(),
                    row.negativeAccuracy(), row.positiveAccuracy(), row.averagePrecision(), row.auc(),
                    row.trainMillis(), size(row.artifactBytes()));
        }
        HeadComparison.Row best = result.best();
        out.printf(Locale.ROOT, "best: %s accuracy=%.4f ap=%.4f%n", best.algorithm().id(), best.accuracy(),
                best.averagePrecision());
    }

    private static String size(long bytes) {
        return bytes < 1024 * 1024
                ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
