package dev.aidetect.tools.train;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import dev.aidetect.heads.HeadComparison;
import dev.aidetect.heads.HeadMetadata;
import dev.aidetect.heads.HeadStage;

/**
 * Prints a head comparison of one stage as a table, one row per algorithm and reduction (the grid), then the
 * {@code best:} line.
 */
final class ComparisonReport {
    private ComparisonReport() {
    }

    static void print(HeadComparison.Result result, HeadStage stage, List<String> classes, int folds,
            PrintWriter out) {
        out.printf(Locale.ROOT, "%n%s head: %d-fold cross-validation, %s vs %s (%s positive); scores of vectors each "
                + "head did not train on, decided at the threshold each fold's head chose%n",
                stage.name().toLowerCase(Locale.ROOT), folds, classes.get(0), classes.get(1), classes.get(1));
        String header = String.format(Locale.ROOT, "%-20s %-15s %8s %8s %8s %7s %7s %9s %10s", "head", "reduction",
                "accuracy",
                classes.get(0).toLowerCase(Locale.ROOT) + "-acc", classes.get(1).toLowerCase(Locale.ROOT) + "-acc",
                "AP", "AUC",
                "train-ms", "artifact");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (HeadComparison.Row row : result.rows()) {
            if (row.failure() != null) {
                out.printf(Locale.ROOT, "%-20s %-15s failed: %s%n", row.algorithm().id(), row.reduction().label(),
                        row.failure());
                continue;
            }
            out.printf(Locale.ROOT, "%-20s %-15s %8.4f %8.4f %8.4f %7.4f %7.4f %9d %10s%n", row.algorithm().id(),
                    row.reduction().label(), row.accuracy(),
                    row.negativeAccuracy(), row.positiveAccuracy(), row.averagePrecision(), row.auc(),
                    row.trainMillis(), size(row.artifactBytes()));
        }
        HeadComparison.Row best = result.best();
        out.printf(Locale.ROOT, "best: %s %s accuracy=%.4f ap=%.4f%n", best.algorithm().id(),
                best.reduction().label(), best.accuracy(), best.averagePrecision());
    }

    /** A head's reduction in a few words: {@code none}, {@code pca-32}, {@code autoencoder-64 (mse 0.41)}. */
    static String reduction(HeadMetadata metadata) {
        HeadMetadata.Reduction r = metadata.reduction();
        if (r == null) {
            String pca = metadata.hyperparameters().get("pca.dimensions");
            return pca == null ? "none" : "pca-" + pca;
        }
        String label = r.dimensions() == 0 ? r.method() : r.method() + "-" + r.dimensions();
        return r.reconstructionMse() == null
                ? label
                : String.format(Locale.ROOT, "%s (%d hidden, %d epochs, reconstruction MSE %.4f)", label, r.hidden(),
                        r.epochs(), r.reconstructionMse());
    }

    private static String size(long bytes) {
        return bytes < 1024 * 1024
                ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
