package dev.aidetect.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;

/**
 * The figures of {@code bench pipeline}: the pipeline run (sustained rate, latency, what the finals were) and each
 * stage alone, a table of every process's CPU time and peak memory, and as the last line
 * {@code pipeline: R img/s, bottleneck STAGE S img/s, pipeline/bottleneck X, p99 L ms}; the same figures as JSON.
 */
final class PipelineReport {
    /** The share of the bottleneck stage's rate alone that the whole pipeline should reach on a 2-core machine. */
    static final double TARGET = 0.8;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PipelineFeed.Outcome pipeline;
    private final List<StageBench.Result> stages;
    private final Map<String, Object> settings;

    /** @param settings how the run was made (options), carried into the JSON */
    PipelineReport(PipelineFeed.Outcome pipeline, List<StageBench.Result> stages, Map<String, Object> settings) {
        this.pipeline = pipeline;
        this.stages = stages;
        this.settings = settings;
    }

    double pipelineRate() {
        return pipeline.window().rate();
    }

    /** The stage with the lowest rate alone, or null when none has a figure. */
    StageBench.Result bottleneck() {
        StageBench.Result slowest = null;
        for (StageBench.Result stage : stages) {
            double rate = stage.imagesPerSecond();
            if (!Double.isNaN(rate) && !Double.isInfinite(rate)
                    && (slowest == null || rate < slowest.imagesPerSecond())) {
                slowest = stage;
            }
        }
        return slowest;
    }

    double ratio() {
        StageBench.Result slowest = bottleneck();
        return slowest == null ? Double.NaN : pipelineRate() / slowest.imagesPerSecond();
    }

    double latencyMs(double percentile) {
        return nearestRank(pipeline.latenciesMs(), percentile);
    }

    /** The nearest-rank percentile of some values (not changed), NaN when there are none. */
    static double nearestRank(double[] values, double percentile) {
        double[] sorted = values.clone();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%n%-18s %7s %9s %9s %9s %s%n", "run", "images", "img/s", "p50 ms", "p99 ms",
                "timed window");
        out.printf(Locale.ROOT, "%-18s %7.0f %9s %9.0f %9.0f %.1f s%n", "pipeline",
                pipeline.window().progressInside(), format(pipelineRate()), latencyMs(50), latencyMs(99),
                pipeline.window().seconds());
        for (StageBench.Result stage : stages) {
            if (stage.failure() != null) {
                out.printf("%-18s skipped: %s%n", stage.stage().label() + " alone", stage.failure());
            } else {
                out.printf(Locale.ROOT, "%-18s %7d %9s %9s %9s %.1f s%n", stage.stage().label() + " alone",
                        stage.timedImages(), format(stage.imagesPerSecond()), "", "", stage.seconds());
            }
        }
        out.printf(Locale.ROOT, "%n%-18s %-18s %8s %11s %12s%n", "process", "run", "CPU s", "CPU ms/img",
                "peak RSS MB");
        printProcesses(out, "pipeline", pipeline.processes(), pipeline.window().progressInside());
        for (StageBench.Result stage : stages) {
            printProcesses(out, stage.stage().label() + " alone", stage.processes(), stage.timedImages());
        }
        double cpuMs = pipelineCpuMsPerImage();
        if (!Double.isNaN(cpuMs)) {
            int cores = Runtime.getRuntime().availableProcessors();
            out.printf(Locale.ROOT, "pipeline CPU: %.0f ms per image in all processes together; %d cores can run "
                    + "at most %.2f img/s of it%s%n", cpuMs, cores, cores * 1000 / cpuMs,
                    pipeline.idle().isEmpty()
                            ? ""
                            : "; " + pipeline.idle().replace("timed window", "pipeline's timed window"));
        }
        out.println("finals: " + outcomes());
        outcomesByKind().forEach(line -> out.println("  " + line));
        out.println("images: timed, after the warm-up; latency: send to the arrival of the final verdict "
                + "(read_committed) of each timed image; a stage alone: the time it took to write its output for the "
                + "timed images, their input written at once on a warm service");
        double ratio = ratio();
        out.printf(Locale.ROOT, "pipeline/bottleneck %s (target >= %.2f: %s)%n", format(ratio), TARGET,
                Double.isNaN(ratio) ? "not measured" : ratio >= TARGET ? "met" : "NOT met");
        out.println(lastLine());
        out.flush();
    }

    private static void printProcesses(PrintWriter out, String run, Map<String, ProcessFigures.Usage> processes,
            double images) {
        processes.forEach((name, usage) -> out.printf(Locale.ROOT, "%-18s %-18s %8.1f %11.1f %12.0f%n", name, run,
                usage.cpuSeconds(), 1000 * usage.cpuSeconds() / images, usage.peakRssMb()));
    }

    /** CPU milliseconds per timed image of every process of the pipeline run together (NaN if unknown). */
    double pipelineCpuMsPerImage() {
        double seconds = pipeline.processes().values().stream().mapToDouble(ProcessFigures.Usage::cpuSeconds).sum();
        return pipeline.processes().isEmpty() ? Double.NaN : 1000 * seconds / pipeline.window().progressInside();
    }

    /** What the finals of the pipeline run were: statuses, authenticity, how many reached a generator, reasons. */
    String outcomes() {
        Map<String, Integer> counts = new TreeMap<>();
        int missing = 0;
        for (FinalVerdict verdict : pipeline.finals()) {
            if (verdict == null) {
                missing++;
                continue;
            }
            String status = verdict.getStatus().name();
            counts.merge(status, 1, Integer::sum);
            if (verdict.getStatus() == FinalStatus.DECIDED) {
                counts.merge(status + " " + verdict.getAuthenticity(), 1, Integer::sum);
                if (verdict.getGenerator() != null) {
                    counts.merge(status + " with a generator", 1, Integer::sum);
                }
            } else if (verdict.getRejection() != null) {
                counts.merge(status + " " + verdict.getRejection().getReason(), 1, Integer::sum);
            }
        }
        StringBuilder line = new StringBuilder().append(pipeline.finals().length - missing).append(" of ")
                .append(pipeline.finals().length);
        counts.forEach((key, count) -> line.append(", ").append(key).append(' ').append(count));
        return line.append("; ").append(pipeline.duplicates()).append(" second finals").toString();
    }

    /**
     * Per kind of submission (phone-size or small, inline or by uri): how far its fakes went down the hierarchy, and
     * its rejections with their reasons. Empty when the submissions are not known.
     */
    List<String> outcomesByKind() {
        if (pipeline.sent().size() != pipeline.finals().length) {
            return List.of();
        }
        Map<String, int[]> groups = new TreeMap<>();
        Map<String, Map<String, Integer>> reasons = new TreeMap<>();
        for (int i = 0; i < pipeline.finals().length; i++) {
            Submissions.Submission submission = pipeline.sent().get(i).submission();
            String kind = (submission.image().phone() ? "phone-size" : "small") + (submission.byUri()
                    ? " by uri"
                    : " inline");
            // images, finals, fakes, fakes called FAKE, fakes with a generator named
            int[] counts = groups.computeIfAbsent(kind, k -> new int[5]);
            FinalVerdict verdict = pipeline.finals()[i];
            counts[0]++;
            if (verdict == null) {
                continue;
            }
            counts[1]++;
            if (submission.image().fake()) {
                counts[2]++;
                counts[3] += verdict.getAuthenticity() == Authenticity.FAKE ? 1 : 0;
                counts[4] += verdict.getGenerator() != null ? 1 : 0;
            }
            if (verdict.getStatus() != FinalStatus.DECIDED) {
                String reason = verdict.getRejection() != null
                        ? verdict.getRejection().getReason().name()
                        : verdict.getStatus().name();
                reasons.computeIfAbsent(kind, k -> new TreeMap<>()).merge(reason, 1, Integer::sum);
            }
        }
        List<String> lines = new ArrayList<>();
        groups.forEach((kind, c) -> lines.add(String.format(Locale.ROOT, "%s: %d images, %d finals; fakes %d: "
                + "called FAKE %d, a generator named %d; not decided: %s", kind, c[0], c[1], c[2], c[3], c[4],
                reasons.containsKey(kind) ? reasons.get(kind).toString() : "none")));
        return lines;
    }

    /** {@code pipeline: R img/s, bottleneck STAGE S img/s, pipeline/bottleneck X, p99 L ms}. */
    String lastLine() {
        StageBench.Result slowest = bottleneck();
        return String.format(Locale.ROOT, "pipeline: %s img/s, bottleneck %s %s img/s, pipeline/bottleneck %s, "
                + "p99 %.0f ms", format(pipelineRate()), slowest == null ? "none" : slowest.stage().label(),
                slowest == null ? "n/a" : format(slowest.imagesPerSecond()), format(ratio()), latencyMs(99));
    }

    /** The figures as JSON, for a notebook or a table in a README. */
    void writeJson(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", settings);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("images", pipeline.finals().length);
        run.put("timedImages", pipeline.window().progressInside());
        run.put("windowSeconds", pipeline.window().seconds());
        run.put("imagesPerSecond", pipelineRate());
        run.put("p50Ms", latencyMs(50));
        run.put("p99Ms", latencyMs(99));
        run.put("finals", outcomes());
        run.put("finalsByKind", outcomesByKind());
        run.put("secondFinals", pipeline.duplicates());
        run.put("processes", processes(pipeline.processes(), pipeline.window().progressInside()));
        run.put("cpuMsPerImageAllProcesses", pipelineCpuMsPerImage());
        run.put("machineIdle", pipeline.idle());
        json.put("pipeline", run);
        Map<String, Object> alone = new LinkedHashMap<>();
        for (StageBench.Result stage : stages) {
            Map<String, Object> figures = new LinkedHashMap<>();
            if (stage.failure() != null) {
                figures.put("failure", stage.failure());
            } else {
                figures.put("timedImages", stage.timedImages());
                figures.put("windowSeconds", stage.seconds());
                figures.put("imagesPerSecond", stage.imagesPerSecond());
                figures.put("processes", processes(stage.processes(), stage.timedImages()));
            }
            alone.put(stage.stage().label(), figures);
        }
        json.put("stagesAlone", alone);
        StageBench.Result slowest = bottleneck();
        json.put("bottleneck", slowest == null ? null : slowest.stage().label());
        json.put("bottleneckImagesPerSecond", slowest == null ? null : slowest.imagesPerSecond());
        json.put("pipelineOverBottleneck", ratio());
        json.put("target", TARGET);
        json.put("line", lastLine());
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, JSON.writeValueAsString(nanToNull(json)) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the figures to " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> processes(Map<String, ProcessFigures.Usage> usage, double images) {
        Map<String, Object> figures = new LinkedHashMap<>();
        usage.forEach((name, u) -> figures.put(name, Map.of("cpuSeconds", u.cpuSeconds(), "cpuMsPerImage",
                1000 * u.cpuSeconds() / images, "peakRssMb", u.peakRssMb())));
        return figures;
    }

    /** JSON has no NaN: a figure that could not be measured is null. */
    @SuppressWarnings("unchecked")
    private static Object nanToNull(Object value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, nanToNull(v)));
            return copy;
        }
        return value;
    }

    static String format(double value) {
        return Double.isNaN(value)
                ? "n/a"
                : Double.isInfinite(value)
                        ? "inf"
                        : String.format(Locale.ROOT, "%.2f",
                                value);
    }
}
