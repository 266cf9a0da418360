package dev.aidetect.tools.bench;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of {@code bench embed}: a table per model and mode, the two ratios with their targets, and as the last
 * line the summary of the headline model (ViT-L/14 when it ran, else the last model that did).
 */
public final class BenchReport {
    public static final double KAFKA_TARGET = 0.85;
    public static final double PYTHON_TARGET = 1.5;
    static final String[] MODES = {"ceiling", "inprocess", "kafka", "python", BenchOptions.PYTHON_FLOAT32};

    /** Per model, per mode: a result, or why the mode did not run. */
    private final Map<String, Map<String, Object>> results = new LinkedHashMap<>();

    /** Per model, per mode: the images/s of each round, where there was more than one. */
    private final Map<String, Map<String, List<Double>>> rounds = new LinkedHashMap<>();

    public void add(String model, String mode, ModeResult result) {
        results.computeIfAbsent(model, m -> new LinkedHashMap<>()).put(mode, result);
    }

    /** Several rounds of one mode: the table and ratios use the median round (the lower middle of an even count). */
    public void add(String model, String mode, List<ModeResult> results) {
        List<ModeResult> sorted = results.stream().sorted(Comparator.comparingDouble(ModeResult::imagesPerSecond))
                .toList();
        add(model, mode, sorted.get((sorted.size() - 1) / 2));
        if (sorted.size() > 1) {
            rounds.computeIfAbsent(model, m -> new LinkedHashMap<>()).put(mode,
                    results.stream().map(ModeResult::imagesPerSecond).toList());
        }
    }

    public void skip(String model, String mode, String why) {
        results.computeIfAbsent(model, m -> new LinkedHashMap<>()).put(mode, why);
    }

    public void print(PrintWriter out, int batch, String threads) {
        print(out, batch, threads, null);
    }

    /** The report, with each mode's FLOP rate as a share of {@code peakTflops} when given (null: none). */
    /** @param threads how the modes used the CPU threads, as {@link ThreadBudget} says it */
    public void print(PrintWriter out, int batch, String threads, Double peakTflops) {
        String headline = headline();
        out.printf(Locale.ROOT, "%n%-10s %-10s %7s %9s %10s %10s %12s%n", "model", "mode", "images", "img/s",
                "p50 ms", "p99 ms", "peak RSS MB");
        results.forEach((model, modes) -> {
            for (String mode : MODES) {
                Object entry = modes.get(mode);
                if (entry instanceof ModeResult r) {
                    out.printf(Locale.ROOT, "%-10s %-10s %7d %9.2f %10.1f %10.1f %12.0f%n", model, mode, r.images(),
                            r.imagesPerSecond(), r.latencyMs(50), r.latencyMs(99), r.peakRssKb() / 1024.0);
                } else if (entry != null) {
                    out.printf("%-10s %-10s skipped: %s%n", model, mode, entry);
                }
            }
        });
        rounds.forEach((model, modes) -> modes.forEach((mode, rates) -> out.printf(Locale.ROOT,
                "%-10s %-10s img/s by round: %s (median in the table)%n", model, mode,
                String.join(", ", rates.stream().map(BenchReport::format).toList()))));
        out.printf("batch %d, %s; latency: from hand-over (all images offered at once) to result; "
                + "headline model: %s%n", batch, threads, headline);
        results.keySet().forEach(model -> {
            out.printf(Locale.ROOT, "%s: kafka/ceiling %s (target >= %.2f: %s), inprocess/python %s (target >= %.1f: "
                    + "%s)%n", model, format(ratio(model, "kafka", "ceiling")), KAFKA_TARGET,
                    verdict(ratio(model, "kafka", "ceiling"), KAFKA_TARGET),
                    format(ratio(model, "inprocess", "python")),
                    PYTHON_TARGET, verdict(ratio(model, "inprocess", "python"), PYTHON_TARGET));
        });
        if (peakTflops != null) {
            printPeakShares(out, peakTflops);
        }
        out.println(lastLine(headline));
        out.flush();
    }

    private void printPeakShares(PrintWriter out, double peakTflops) {
        results.forEach((model, modes) -> modes.forEach((mode, entry) -> {
            Double gflop = BenchOptions.GFLOP_PER_IMAGE.get(model);
            if (gflop != null && entry instanceof ModeResult r) {
                out.printf(Locale.ROOT, "%s %s: %.2f img/s x %.1f GFLOP = %.2f TFLOP/s, %.1f%% of the %.0f TFLOP/s "
                        + "peak%n", model, mode, r.imagesPerSecond(), gflop, r.imagesPerSecond() * gflop / 1000,
                        100 * BenchOptions.fractionOfPeak(r.imagesPerSecond(), gflop, peakTflops), peakTflops);
            }
        }));
    }

    /** {@code embed: ceiling C img/s, inprocess I img/s, kafka K img/s, python P img/s, kafka/ceiling R1, ...}. */
    String lastLine(String model) {
        return String.format(Locale.ROOT,
                "embed: ceiling %s img/s, inprocess %s img/s, kafka %s img/s, python %s img/s, kafka/ceiling %s, "
                        + "inprocess/python %s",
                format(rate(model, "ceiling")), format(rate(model, "inprocess")), format(rate(model, "kafka")),
                format(rate(model, "python")), format(ratio(model, "kafka", "ceiling")),
                format(ratio(model, "inprocess", "python")));
    }

    private String headline() {
        return results.containsKey("vit-l-14")
                ? "vit-l-14"
                : results.keySet().stream().reduce((a, b) -> b)
                        .orElse("none");
    }

    private double rate(String model, String mode) {
        Object entry = results.getOrDefault(model, Map.of()).get(mode);
        return entry instanceof ModeResult r ? r.imagesPerSecond() : Double.NaN;
    }

    private double ratio(String model, String mode, String base) {
        return rate(model, mode) / rate(model, base);
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String verdict(double ratio, double target) {
        return Double.isNaN(ratio) ? "not measured" : ratio >= target ? "met" : "NOT met";
    }
}
