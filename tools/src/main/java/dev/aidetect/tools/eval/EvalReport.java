package dev.aidetect.tools.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.aidetect.heads.BinaryMetrics;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

/**
 * Writes an evaluation down: {@value #JSON} (every number: the run, throughput and latency, each group's metrics with
 * its ROC and precision-recall curves and reliability table, the confusion matrices, and every image's verdict),
 * {@value #GROUPS_CSV} (one row per group: everything, each data set, family and generator) and {@value #SCORES_CSV}
 * (one row per image); prints the per-group table and the confusion matrices, and ends with the one-line summary. A
 * number that is not defined (AP without fakes, a threshold above every score) is {@code null} in JSON and empty in
 * CSV.
 */
final class EvalReport {
    static final String JSON = "eval.json";
    static final String GROUPS_CSV = "groups.csv";
    static final String SCORES_CSV = "scores.csv";
    static final String SWEEPS_CSV = "sweeps.csv";
    /** What {@code report=} names in the summary line: the one file a person opens. */
    static final String REPORT = HtmlReport.FILE;
    static final String FORMAT = "aidetect-eval/1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final EvalRun run;
    private final List<ScoredImage> images;
    private final List<EvalMetrics.Group> groups;
    private final EvalMetrics.Confusion families;
    private final EvalMetrics.Confusion generators;
    private final long[] latencies;
    private final List<SweepResult> sweeps;
    private final EmbeddingMap map;
    private final BaselineComparison comparison;

    EvalReport(EvalRun run, List<ScoredImage> images) {
        this(run, images, List.of(), null);
    }

    EvalReport(EvalRun run, List<ScoredImage> images, List<SweepResult> sweeps, EmbeddingMap map) {
        this(run, images, sweeps, map, null);
    }

    /**
     * The report of a run, with the points of its robustness sweeps (none when no sweep ran) and the map of its
     * embeddings ({@code null} when none were collected), against an earlier run ({@code null}: none) that the caller
     * has checked saw the same data ({@link Baseline#requireSameData}).
     */
    EvalReport(EvalRun run, List<ScoredImage> images, List<SweepResult> sweeps, EmbeddingMap map,
            Baseline baseline) {
        this.run = run;
        this.sweeps = List.copyOf(sweeps);
        this.map = map;
        this.images = images;
        this.groups = EvalMetrics.groups(images);
        this.families = EvalMetrics.confusion(images, Stage.FAMILY);
        this.generators = EvalMetrics.confusion(images, Stage.ATTRIBUTION);
        this.latencies = images.stream().filter(image -> image.verdict() != null)
                .mapToLong(image -> image.verdict().getLatencyMillis()).filter(l -> l >= 0).toArray();
        this.comparison = baseline == null ? null : new BaselineComparison(baseline, groups, this.sweeps);
    }

    /** The group of everything. */
    EvalMetrics.Group all() {
        return groups.getFirst();
    }

    List<EvalMetrics.Group> groups() {
        return groups;
    }

    EvalRun run() {
        return run;
    }

    EvalMetrics.Confusion families() {
        return families;
    }

    EvalMetrics.Confusion generators() {
        return generators;
    }

    List<SweepResult> sweeps() {
        return sweeps;
    }

    /** This run against its baseline, or {@code null} when none was given. */
    BaselineComparison comparison() {
        return comparison;
    }

    /** The embedding map, or {@code null}. */
    EmbeddingMap map() {
        return map;
    }

    /** The {@code percent} percentile of the final verdicts' latencies in milliseconds (100: the maximum). */
    double latency(double percent) {
        return EvalMetrics.percentile(latencies, percent);
    }

    /** The file the summary line names. */
    static Path reportPath(Path out) {
        return out.resolve(REPORT);
    }

    /** {@code eval: N images, acc=A, ap=P, auc=U, report=PATH}. */
    String summaryLine(Path out) {
        EvalMetrics.Group all = all();
        return String.format(Locale.ROOT, "eval: %d images, acc=%.4f, ap=%.4f, auc=%.4f, report=%s", all.images(),
                all.accuracy(), all.averagePrecision(), all.auc(), reportPath(out));
    }

    /** Writes the files into {@code out}. */
    void write(Path out) {
        try {
            Files.createDirectories(out);
            MAPPER.writeValue(out.resolve(JSON).toFile(), json(out));
            Files.writeString(out.resolve(GROUPS_CSV), groupsCsv());
            Files.writeString(out.resolve(SCORES_CSV), scoresCsv());
            if (!sweeps.isEmpty()) {
                Files.writeString(out.resolve(SWEEPS_CSV), sweepsCsv());
            }
            if (comparison != null) {
                Files.writeString(out.resolve(BaselineComparison.CSV), comparison.csv());
            }
            Files.writeString(out.resolve(HtmlReport.FILE), new HtmlReport(this).html());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + out + ": " + e.getMessage(), e);
        }
    }

    /** The per-group table, the confusion matrices and the run's figures, for a person. */
    void print(PrintWriter out) {
        out.printf("%-28s %6s %6s %6s %6s %6s %6s %14s %6s %6s %7s %s%n", "group", "n", "acc", "real", "fake", "AP",
                "AUC", "best acc (thr)", "ECE", "uncert", "unknown", "not decided");
        for (EvalMetrics.Group g : groups) {
            String name = g.level().equals("all") ? "all" : g.level() + " " + g.name();
            out.printf(Locale.ROOT, "%-28s %6d %6s %6s %6s %6s %6s %6s (%5s) %6s %6s %7s %s%n", cut(name, 28),
                    g.images(), f(g.accuracy()), f(g.realAccuracy()), f(g.fakeAccuracy()), f(g.averagePrecision()),
                    f(g.auc()), f(g.best().accuracy()), threshold(g.best().threshold()), f(g.ece()),
                    f(g.uncertainRate()), f(g.unknownRate()), g.notDecided().values().stream()
                            .mapToInt(Integer::intValue).sum());
        }
        out.printf(Locale.ROOT, "accuracy at the served threshold %s; best acc: the oracle threshold over every cut "
                + "point; ECE over %d equal-width bins of P(fake)%n", threshold(all().threshold()),
                EvalMetrics.RELIABILITY_BINS);
        printConfusion(out, "family", families);
        printConfusion(out, "generator", generators);
        Map<String, Integer> notDecided = all().notDecided();
        if (!notDecided.isEmpty()) {
            out.println("not decided: " + notDecided.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", ")));
        }
        if (!sweeps.isEmpty()) {
            out.printf("%-14s %6s %6s %6s %6s %6s %6s  %s%n", "sweep", "n", "acc", "real", "fake", "AP", "AUC", "run");
            for (SweepResult sweep : sweeps) {
                EvalMetrics.Group g = sweep.all();
                out.printf(Locale.ROOT, "%-14s %6d %6s %6s %6s %6s %6s  %s%n", sweep.point().label(), g.images(),
                        f(g.accuracy()), f(g.realAccuracy()), f(g.fakeAccuracy()), f(g.averagePrecision()),
                        f(g.auc()), sweep.run());
            }
        }
        if (comparison != null) {
            printComparison(out);
        }
        out.printf(Locale.ROOT, "%s run %s: %d final verdicts in %.1f s, %.2f img/s; latency ms p50 %s, p90 %s, "
                + "p99 %s, max %s%n", run.mode(), run.id(), latencies.length, run.seconds(), throughput(),
                ms(50), ms(90), ms(99), ms(100));
        out.println("models: " + models().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
    }

    private void printComparison(PrintWriter out) {
        out.printf("against the baseline, run %s (%s)%n", comparison.baseline().run(), comparison.baseline()
                .models().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        out.printf("%-22s %6s %6s %7s %6s %6s %7s %6s %6s %7s%n", "", "acc", "base", "delta", "AP", "base", "delta",
                "AUC", "base", "delta");
        for (BaselineComparison.Row row : comparison.rows()) {
            Baseline.Figures d = row.delta();
            out.printf(Locale.ROOT, "%-22s %6s %6s %7s %6s %6s %7s %6s %6s %7s%n",
                    cut(row.scope().equals("all") ? "all" : row.scope() + " " + row.name(), 22),
                    f3(row.run().accuracy()), f3(row.baseline().accuracy()), delta(d.accuracy()),
                    f3(row.run().averagePrecision()), f3(row.baseline().averagePrecision()),
                    delta(d.averagePrecision()), f3(row.run().auc()), f3(row.baseline().auc()),
                    delta(d.auc()));
        }
    }

    private static String delta(double value) {
        return Double.isNaN(value) ? "-" : BaselineComparison.signed(value);
    }

    private static String f3(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static void printConfusion(PrintWriter out, String what, EvalMetrics.Confusion confusion) {
        int width = Math.max(10, confusion.predicted().stream().mapToInt(String::length).max().orElse(10));
        out.printf("%s confusion (rows: truth, columns: what the pipeline said)%n", what);
        out.printf("  %-" + width + "s", "");
        confusion.predicted().forEach(p -> out.printf(" %" + width + "s", p));
        out.println();
        for (int r = 0; r < confusion.truth().size(); r++) {
            out.printf("  %-" + width + "s", confusion.truth().get(r));
            for (int c = 0; c < confusion.predicted().size(); c++) {
                out.printf(" %" + width + "d", confusion.counts()[r][c]);
            }
            out.println();
        }
    }

    /** Final verdicts per second over the run. */
    double throughput() {
        return run.seconds() > 0 ? latencies.length / run.seconds() : Double.NaN;
    }

    private String ms(double percent) {
        double value = EvalMetrics.percentile(latencies, percent);
        return Double.isNaN(value) ? "-" : String.valueOf((long) value);
    }

    /**
     * The models of the run, id to version: those the verdicts name (the encoder and the models that decided), and
     * those the run loaded itself (offline: the encoder, and networks that may have decided nothing).
     */
    Map<String, String> models() {
        Map<String, String> models = new TreeMap<>(run.models());
        images.forEach(image -> {
            ModelRef encoder = image.verdict() == null ? null : image.verdict().getEncodedBy();
            if (encoder != null) {
                models.putIfAbsent(encoder.getId(), encoder.getVersion());
            }
            image.stages().values().forEach(verdict -> models.putIfAbsent(
                    verdict.getModel().getId(), verdict.getModel().getVersion()));
        });
        return models;
    }

    private ObjectNode json(Path out) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("line", summaryLine(out));
        ObjectNode runNode = root.putObject("run");
        runNode.put("id", run.id());
        runNode.put("mode", run.mode());
        runNode.put("startedAt", run.startedAt().toString());
        runNode.put("cluster", run.cluster());
        runNode.put("seconds", run.seconds());
        runNode.set("models", MAPPER.valueToTree(models()));
        ArrayNode inputs = runNode.putArray("inputs");
        run.inputs().forEach(input -> inputs.add(MAPPER.valueToTree(input)));
        runNode.set("refused", MAPPER.valueToTree(run.refused()));
        runNode.put("missing", run.missing());
        runNode.set("secondFinals", MAPPER.valueToTree(run.secondFinals()));
        runNode.put("unlabelled", run.unlabelled());
        ObjectNode throughput = root.putObject("throughput");
        throughput.put("finals", latencies.length);
        throughput.put("seconds", run.seconds());
        number(throughput, "imagesPerSecond", throughput());
        ObjectNode latency = root.putObject("latencyMillis");
        for (int p : new int[]{50, 90, 99, 100}) {
            number(latency, p == 100 ? "max" : "p" + p, EvalMetrics.percentile(latencies, p));
        }
        number(latency, "mean", Arrays.stream(latencies).average().orElse(Double.NaN));
        root.put("reliabilityBins", EvalMetrics.RELIABILITY_BINS);
        ArrayNode groupNodes = root.putArray("groups");
        groups.forEach(g -> groupNodes.add(groupJson(g)));
        ObjectNode confusion = root.putObject("confusion");
        confusion.set("family", MAPPER.valueToTree(families));
        confusion.set("generator", MAPPER.valueToTree(generators));
        ArrayNode sweepNodes = root.putArray("sweeps");
        for (SweepResult sweep : sweeps) {
            ObjectNode node = sweepNodes.addObject();
            node.put("kind", sweep.point().kind());
            node.put("value", sweep.point().value());
            node.put("run", sweep.run());
            node.put("seconds", sweep.seconds());
            node.set("refused", MAPPER.valueToTree(sweep.refused()));
            node.put("missing", sweep.missing());
            ArrayNode sweepGroups = node.putArray("groups");
            sweep.groups().forEach(g -> sweepGroups.add(groupJson(g)));
        }
        if (map != null) {
            ObjectNode mapNode = root.putObject("embeddingMap");
            mapNode.put("method", "t-SNE (Smile), perplexity 30");
            mapNode.put("sampled", map.sampled());
            ArrayNode points = mapNode.putArray("points");
            map.points().forEach(p -> points.addObject().put("x", p.x()).put("y", p.y()).put("generator",
                    p.group()));
        }
        if (comparison != null) {
            comparison.json(root.putObject("baseline"));
        }
        ArrayNode imageNodes = root.putArray("images");
        for (ScoredImage image : images) {
            ObjectNode node = imageNodes.addObject();
            List<String> row = scoreRow(image);
            for (int i = 0; i < SCORE_COLUMNS.size(); i++) {
                String value = row.get(i);
                if (NUMERIC_SCORE_COLUMNS.contains(SCORE_COLUMNS.get(i)) && !value.isEmpty()) {
                    node.put(SCORE_COLUMNS.get(i), Double.parseDouble(value));
                } else {
                    node.put(SCORE_COLUMNS.get(i), value.isEmpty() ? null : value);
                }
            }
        }
        return root;
    }

    private ObjectNode groupJson(EvalMetrics.Group g) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("level", g.level());
        node.put("name", g.name());
        node.put("family", g.family());
        node.put("images", g.images());
        node.put("real", g.real());
        node.put("fake", g.fake());
        node.put("scored", g.scored());
        number(node, "threshold", g.threshold());
        number(node, "accuracy", g.accuracy());
        number(node, "realAccuracy", g.realAccuracy());
        number(node, "fakeAccuracy", g.fakeAccuracy());
        number(node, "averagePrecision", g.averagePrecision());
        number(node, "auc", g.auc());
        number(node, "bestThreshold", g.best().threshold());
        number(node, "bestAccuracy", g.best().accuracy());
        number(node, "ece", g.ece());
        number(node, "uncertainRate", g.uncertainRate());
        number(node, "unknownRate", g.unknownRate());
        node.set("notDecided", MAPPER.valueToTree(g.notDecided()));
        ArrayNode reliability = node.putArray("reliability");
        for (BinaryMetrics.Bin bin : g.reliability()) {
            ObjectNode b = reliability.addObject();
            b.put("lower", bin.lower());
            b.put("upper", bin.upper());
            b.put("count", bin.count());
            number(b, "meanScore", bin.meanScore());
            number(b, "positiveRate", bin.positiveRate());
        }
        ObjectNode roc = node.putObject("roc");
        column(roc, "threshold", g.roc().stream().mapToDouble(BinaryMetrics.RocPoint::threshold).toArray());
        column(roc, "falsePositiveRate",
                g.roc().stream().mapToDouble(BinaryMetrics.RocPoint::falsePositiveRate).toArray());
        column(roc, "truePositiveRate",
                g.roc().stream().mapToDouble(BinaryMetrics.RocPoint::truePositiveRate).toArray());
        ObjectNode pr = node.putObject("pr");
        column(pr, "threshold", g.pr().stream().mapToDouble(BinaryMetrics.PrPoint::threshold).toArray());
        column(pr, "precision", g.pr().stream().mapToDouble(BinaryMetrics.PrPoint::precision).toArray());
        column(pr, "recall", g.pr().stream().mapToDouble(BinaryMetrics.PrPoint::recall).toArray());
        return node;
    }

    private static void column(ObjectNode node, String name, double[] values) {
        ArrayNode array = node.putArray(name);
        for (double value : values) {
            if (Double.isFinite(value)) {
                array.add(value);
            } else {
                array.addNull();
            }
        }
    }

    static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    static final List<String> GROUP_COLUMNS = List.of("level", "name", "family", "images", "real", "fake", "scored",
            "threshold", "accuracy", "real_accuracy", "fake_accuracy", "average_precision", "auc", "best_threshold",
            "best_accuracy", "ece", "uncertain_rate", "unknown_rate", "not_decided");

    private String groupsCsv() {
        StringBuilder csv = new StringBuilder(String.join(",", GROUP_COLUMNS)).append('\n');
        for (EvalMetrics.Group g : groups) {
            csv.append(csvRow(List.of(g.level(), g.name(), g.family() == null ? "" : g.family(),
                    String.valueOf(g.images()), String.valueOf(g.real()), String.valueOf(g.fake()),
                    String.valueOf(g.scored()), num(g.threshold()), num(g.accuracy()), num(g.realAccuracy()),
                    num(g.fakeAccuracy()), num(g.averagePrecision()), num(g.auc()), num(g.best().threshold()),
                    num(g.best().accuracy()), num(g.ece()), num(g.uncertainRate()), num(g.unknownRate()),
                    String.valueOf(g.notDecided().values().stream().mapToInt(Integer::intValue).sum()))));
        }
        return csv.toString();
    }

    static final List<String> SWEEP_COLUMNS = List.of("kind", "value", "run", "level", "name", "images", "scored",
            "accuracy", "real_accuracy", "fake_accuracy", "average_precision", "auc", "best_accuracy", "ece",
            "not_decided");

    private String sweepsCsv() {
        StringBuilder csv = new StringBuilder(String.join(",", SWEEP_COLUMNS)).append('\n');
        for (SweepResult sweep : sweeps) {
            for (EvalMetrics.Group g : sweep.groups()) {
                csv.append(csvRow(List.of(sweep.point().kind(), Svg.shortNumber(sweep.point().value()), sweep.run(),
                        g.level(), g.name(), String.valueOf(g.images()), String.valueOf(g.scored()),
                        num(g.accuracy()), num(g.realAccuracy()), num(g.fakeAccuracy()), num(g.averagePrecision()),
                        num(g.auc()), num(g.best().accuracy()), num(g.ece()),
                        String.valueOf(g.notDecided().values().stream().mapToInt(Integer::intValue).sum()))));
            }
        }
        return csv.toString();
    }

    static final List<String> SCORE_COLUMNS = List.of("imageId", "originalId", "dataset", "truth", "family",
            "generator", "status", "authenticity", "score", "threshold", "detection", "predictedFamily",
            "familyScore", "predictedGenerator", "generatorScore", "latencyMillis", "notDecided");
    private static final List<String> NUMERIC_SCORE_COLUMNS = List.of("score", "threshold", "familyScore",
            "generatorScore", "latencyMillis");

    private String scoresCsv() {
        StringBuilder csv = new StringBuilder(String.join(",", SCORE_COLUMNS)).append('\n');
        images.forEach(image -> csv.append(csvRow(scoreRow(image))));
        return csv.toString();
    }

    private static List<String> scoreRow(ScoredImage image) {
        FinalVerdict verdict = image.verdict();
        StageVerdict detection = image.detection();
        StageVerdict family = image.stages().get(Stage.FAMILY);
        StageVerdict attribution = image.stages().get(Stage.ATTRIBUTION);
        List<String> row = new ArrayList<>(List.of(image.imageId(), image.originalId(), image.dataset(),
                image.truth().getAuthenticity().name(), image.fake() ? image.family() : "",
                image.fake() ? image.generator() : ""));
        row.add(verdict == null ? "" : verdict.getStatus().name());
        row.add(verdict == null ? "" : verdict.getAuthenticity().name());
        row.add(detection == null ? "" : num(detection.getScore()));
        row.add(detection == null ? "" : num(detection.getThreshold()));
        row.add(detection == null ? "" : detection.getDecision());
        row.add(family == null ? "" : family.getDecision());
        row.add(family == null ? "" : num(family.getScore()));
        row.add(attribution == null ? "" : attribution.getDecision());
        row.add(attribution == null ? "" : num(attribution.getScore()));
        row.add(verdict == null || verdict.getLatencyMillis() < 0 ? "" : String.valueOf(verdict.getLatencyMillis()));
        String notDecided = image.notDecidedBecause();
        row.add(notDecided == null ? "" : notDecided);
        return row;
    }

    static String csvRow(List<String> values) {
        return values.stream().map(EvalReport::csvField).collect(Collectors.joining(",")) + "\n";
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\""
                : value;
    }

    /** Full precision, empty when not defined. */
    static String num(double value) {
        return Double.isFinite(value) ? String.valueOf(value) : "";
    }

    private static String f(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String threshold(double value) {
        return Double.isNaN(value)
                ? "-"
                : Double.isInfinite(value)
                        ? "inf"
                        : String.format(Locale.ROOT, "%.3f",
                                value);
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
