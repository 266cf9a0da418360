package dev.aidetect.tools.eval;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.aidetect.heads.BinaryMetrics;

/**
 * The evaluation as one self-contained HTML page ({@value #FILE}): a header naming the data sets, models and date,
 * the headline figures, then charts drawn by {@link Svg} (per-generator bars, ROC and PR curves, the reliability
 * diagram, confusion matrices, rejections by reason, latency percentiles, robustness curves when a sweep ran, the
 * embedding map when vectors were collected) and the per-group table; with a baseline, the tables "against the
 * baseline" and its robustness curves, dashed, in the same plots. Inline CSS and SVG only: it opens without a
 * network, and every chart's {@code <title>} names it (the browser test finds them by these).
 */
final class HtmlReport {
    static final String FILE = "report.html";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;\
            margin:0;background:#f6f7f9}
            main{max-width:1220px;margin:0 auto;padding:24px 28px 48px}
            h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;border-bottom:1px solid #dde;\
            padding-bottom:4px}
            .sub{color:#556;margin:0 0 14px}.note{color:#556;font-size:13px;max-width:900px}
            .cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
            .card{background:#fff;border:1px solid #dde;border-radius:8px;padding:10px 14px;min-width:118px}
            .card b{display:block;font-size:22px;font-variant-numeric:tabular-nums}.card span{color:#667;font-size:12px}
            .row{display:flex;flex-wrap:wrap;gap:14px}
            figure{background:#fff;border:1px solid #dde;border-radius:8px;margin:0;padding:8px}
            svg.plot{max-width:100%;height:auto;font-family:inherit}
            svg .heading{font-size:14px;font-weight:600;fill:#222}svg .axis{font-size:12px;fill:#333}
            svg .tick{font-size:11px;fill:#556}svg .value{font-size:10px;fill:#333}svg .count{font-size:12px}
            svg .grid{stroke:#e6e8ec}svg .frame{stroke:#aab}
            table{border-collapse:collapse;background:#fff;font-size:13px;font-variant-numeric:tabular-nums}
            th,td{border:1px solid #dde;padding:3px 8px;text-align:right}th{background:#eef0f4}
            td:first-child,th:first-child{text-align:left}
            .up{color:#2a7a2a}.down{color:#b03a2e}
            """;

    private static final String ACCURACY = "#3b6e9c";
    private static final String AP = "#e0822b";

    private final EvalReport report;

    HtmlReport(EvalReport report) {
        this.report = report;
    }

    /** The whole page. */
    String html() {
        EvalRun run = report.run();
        EvalMetrics.Group all = report.all();
        String datasets = run.inputs().stream().flatMap(i -> i.datasets().isEmpty()
                ? List.of(i.source()).stream()
                : i.datasets().stream()).distinct().collect(Collectors.joining(", "));
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(Svg.escape("aidetect eval: " + datasets)).append("</title><style>")
                .append(CSS).append("</style></head><body><main>");
        page.append("<h1>").append(Svg.escape(datasets)).append("</h1><p class=\"sub\">aidetect eval, ")
                .append(Svg.escape(run.mode())).append(" run <code>").append(Svg.escape(run.id())).append("</code>, ")
                .append(DATE.format(run.startedAt())).append("<br>models: ")
                .append(Svg.escape(models(report.models())));
        BaselineComparison comparison = report.comparison();
        if (comparison != null) {
            page.append("<br>against the baseline run <code>").append(Svg.escape(comparison.baseline().run()))
                    .append("</code>, models: ").append(Svg.escape(models(comparison.baseline().models())));
        }
        page.append("</p>");
        cards(page, all);
        if (comparison != null) {
            against(page, comparison);
        }
        run.inputs().forEach(input -> input.notes().forEach(note -> page.append("<p class=\"note\">note: ")
                .append(Svg.escape(note)).append("</p>")));

        List<EvalMetrics.Group> generators = report.groups().stream().filter(g -> g.level().equals("generator"))
                .toList();
        Map<String, String> colours = generatorColours(generators);
        page.append("<h2>Detection by generator</h2><div class=\"row\">");
        figure(page, generatorBars(all, generators));
        figure(page, curves(true, all, generators, colours));
        figure(page, curves(false, all, generators, colours));
        figure(page, reliability(all));
        page.append("</div><p class=\"note\">Accuracy at the served threshold ")
                .append(Svg.shortNumber(all.threshold())).append("; each generator's group holds its fakes and the "
                        + "real images of its data sets, as the papers score them. Reliability: the share of fakes "
                        + "among images in each of ")
                .append(EvalMetrics.RELIABILITY_BINS)
                .append(" equal-width bins of P(fake); a calibrated detector follows the diagonal.</p>");

        page.append("<h2>What the hierarchy said</h2><div class=\"row\">");
        figure(page, confusion("Family confusion", report.families()));
        figure(page, confusion("Generator confusion", report.generators()));
        page.append("</div>");

        page.append("<h2>Rejections and latency</h2><div class=\"row\">");
        if (all.notDecided().isEmpty()) {
            page.append("<figure><svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                    .append(Svg.WIDTH).append(" 80\" width=\"").append(Svg.WIDTH).append("\" height=\"80\" "
                            + "role=\"img\"><title>Not decided, by reason</title><text x=\"8\" y=\"20\" "
                            + "class=\"heading\">Not decided, by reason</text><text x=\"8\" y=\"52\" "
                            + "class=\"axis\">none: every image got a decided final verdict</text></svg></figure>");
        } else {
            figure(page, rejections(all));
        }
        figure(page, latency());
        page.append("</div>");

        List<Baseline.Point> baselinePoints = comparison == null ? List.of() : comparison.baseline().sweeps();
        if (!report.sweeps().isEmpty() || !baselinePoints.isEmpty()) {
            page.append("<h2>Robustness</h2><div class=\"row\">");
            Map<String, List<SweepResult>> byKind = new LinkedHashMap<>();
            report.sweeps().forEach(s -> byKind.computeIfAbsent(s.point().kind(), k -> new ArrayList<>()).add(s));
            baselinePoints.forEach(p -> byKind.computeIfAbsent(p.kind(), k -> new ArrayList<>()));
            byKind.forEach((kind, points) -> figure(page, robustness(kind, points, comparison == null
                    ? null
                    : baselinePoints.stream().filter(p -> p.kind().equals(kind)).toList())));
            page.append("</div><p class=\"note\">One run per point: every image transformed before it was "
                    + "submitted (jpeg: re-encoded at that quality; blur: Gaussian sigma in pixels; scale: resized "
                    + "by that factor).")
                    .append(comparison == null ? "" : " Dashed: the baseline's accuracy and AP.").append("</p>");
        }
        EmbeddingMap map = report.map();
        if (map != null) {
            page.append("<h2>Embedding map</h2><div class=\"row\">");
            Map<String, String> mapColours = new LinkedHashMap<>();
            mapColours.put("real", "#7f7f7f");
            map.points().stream().map(Svg.Point::group).distinct().sorted().filter(g -> !g.equals("real"))
                    .forEach(g -> mapColours.put(g, colours.getOrDefault(g, Svg.colour(mapColours.size()))));
            figure(page, Svg.scatter("Embeddings by generator (t-SNE)", "t-SNE 1", "t-SNE 2", map.points(),
                    mapColours));
            page.append("</div><p class=\"note\">").append(map.sampled()).append(" encoder vectors, an equal share "
                    + "per generator where there were enough, mapped to 2-D by Smile's t-SNE (perplexity 30): "
                    + "neighbourhoods are kept, distances and cluster sizes are not.</p>");
        }
        page.append("<h2>Every group</h2>").append(table()).append("<p class=\"note\">The same numbers, with the "
                + "curves' points and every image's verdict: eval.json, groups.csv, scores.csv")
                .append(report.sweeps().isEmpty() ? "" : ", sweeps.csv")
                .append(report.comparison() == null ? "" : ", " + BaselineComparison.CSV).append(".</p>");
        return page.append("</main></body></html>\n").toString();
    }

    private void cards(StringBuilder page, EvalMetrics.Group all) {
        page.append("<div class=\"cards\">");
        card(page, String.valueOf(all.images()), "images");
        card(page, f(all.accuracy()), "accuracy");
        card(page, f(all.averagePrecision()), "average precision");
        card(page, f(all.auc()), "ROC AUC");
        card(page, f(all.best().accuracy()), "best-threshold acc.");
        card(page, f(all.ece()), "ECE");
        card(page, f(all.uncertainRate()), "uncertain rate");
        card(page, String.format(Locale.ROOT, "%.1f", report.throughput()), "images / s");
        card(page, ms(report.latency(50)), "p50 latency ms");
        page.append("</div>");
    }

    private static void card(StringBuilder page, String value, String label) {
        page.append("<div class=\"card\"><b>").append(Svg.escape(value)).append("</b><span>").append(label)
                .append("</span></div>");
    }

    private static void figure(StringBuilder page, String svg) {
        page.append("<figure>").append(svg).append("</figure>");
    }

    /** Each generator its colour, the same in every chart. */
    private static Map<String, String> generatorColours(List<EvalMetrics.Group> generators) {
        Map<String, String> colours = new LinkedHashMap<>();
        for (int i = 0; i < generators.size(); i++) {
            colours.put(generators.get(i).name(), Svg.colour(i));
        }
        return colours;
    }

    private static String generatorBars(EvalMetrics.Group all, List<EvalMetrics.Group> generators) {
        List<EvalMetrics.Group> groups = new ArrayList<>();
        groups.add(all);
        groups.addAll(generators);
        List<String> names = groups.stream().map(g -> g == all ? "all" : g.name()).toList();
        return Svg.bars("Accuracy and AP by generator", "score", names, List.of(
                new Svg.Series("accuracy", null, groups.stream().mapToDouble(EvalMetrics.Group::accuracy).toArray(),
                        "#3b6e9c"),
                new Svg.Series("fake accuracy", null,
                        groups.stream().mapToDouble(EvalMetrics.Group::fakeAccuracy).toArray(), "#9cbcd9"),
                new Svg.Series("AP", null,
                        groups.stream().mapToDouble(EvalMetrics.Group::averagePrecision).toArray(), "#e0822b")),
                Svg.Range.UNIT);
    }

    private static String curves(boolean roc, EvalMetrics.Group all, List<EvalMetrics.Group> generators,
            Map<String, String> colours) {
        List<Svg.Series> series = new ArrayList<>();
        series.add(curve(roc, "all", all, "#222", generators.size() > 1));
        if (generators.size() > 1) {
            generators.forEach(g -> series.add(curve(roc, g.name(), g, colours.get(g.name()), false)));
        }
        return roc
                ? Svg.lines("ROC curve", "false positive rate", "true positive rate", Svg.Range.UNIT, Svg.Range.UNIT,
                        series, true, false)
                : Svg.lines("Precision-recall curve", "recall", "precision", Svg.Range.UNIT, Svg.Range.UNIT, series,
                        false, false);
    }

    private static Svg.Series curve(boolean roc, String name, EvalMetrics.Group g, String colour, boolean dashed) {
        String label = String.format(Locale.ROOT, "%s (%s %s)", name, roc ? "AUC" : "AP",
                f(roc ? g.auc() : g.averagePrecision()));
        return roc
                ? new Svg.Series(label, g.roc().stream().mapToDouble(BinaryMetrics.RocPoint::falsePositiveRate)
                        .toArray(), g.roc().stream().mapToDouble(BinaryMetrics.RocPoint::truePositiveRate).toArray(),
                        colour, dashed)
                : new Svg.Series(label, g.pr().stream().mapToDouble(BinaryMetrics.PrPoint::recall).toArray(),
                        g.pr().stream().mapToDouble(BinaryMetrics.PrPoint::precision).toArray(), colour, dashed);
    }

    private static String reliability(EvalMetrics.Group all) {
        double[] x = all.reliability().stream().mapToDouble(BinaryMetrics.Bin::meanScore).toArray();
        double[] y = all.reliability().stream().mapToDouble(BinaryMetrics.Bin::positiveRate).toArray();
        return Svg.lines("Reliability diagram (ECE " + f(all.ece()) + ")", "mean P(fake) in the bin",
                "share of fakes in the bin", Svg.Range.UNIT, Svg.Range.UNIT,
                List.of(new Svg.Series("all", x, y, "#3b6e9c")), true, true);
    }

    private static String confusion(String title, EvalMetrics.Confusion confusion) {
        return Svg.heatmap(title, "truth", "what the pipeline said", confusion.truth(), confusion.predicted(),
                confusion.counts());
    }

    private static String rejections(EvalMetrics.Group all) {
        Map<String, Integer> reasons = all.notDecided();
        List<String> names = List.copyOf(reasons.keySet());
        double[] counts = reasons.values().stream().mapToDouble(Integer::doubleValue).toArray();
        return Svg.bars("Not decided, by reason", "images", names, List.of(new Svg.Series("images", null, counts,
                "#c4544f")), Svg.Range.of(counts, new double[]{0, 1}));
    }

    private String latency() {
        double[] values = {report.latency(50), report.latency(90), report.latency(99), report.latency(100)};
        return Svg.bars("Latency percentiles (" + report.run().mode() + ")", "milliseconds",
                List.of("p50", "p90", "p99", "max"), List.of(new Svg.Series("latency", null, values, "#59a14f")),
                Svg.Range.of(values, new double[]{0}));
    }

    /** This run's accuracy, AP and AUC per point; the baseline's accuracy and AP dashed when {@code base} is given. */
    private String robustness(String kind, List<SweepResult> points, List<Baseline.Point> base) {
        double[] x = points.stream().mapToDouble(p -> p.point().value()).toArray();
        List<Svg.Series> series = new ArrayList<>(List.of(
                new Svg.Series("accuracy", x, points.stream().mapToDouble(p -> p.all().accuracy()).toArray(),
                        ACCURACY),
                new Svg.Series("AP", x, points.stream().mapToDouble(p -> p.all().averagePrecision()).toArray(), AP),
                new Svg.Series("AUC", x, points.stream().mapToDouble(p -> p.all().auc()).toArray(), "#59a14f")));
        List<String> key = List.of();
        double[] baseX = new double[0];
        if (base != null) {
            baseX = base.stream().mapToDouble(Baseline.Point::value).toArray();
            series.add(new Svg.Series("baseline accuracy", baseX, base.stream()
                    .mapToDouble(p -> p.figures().accuracy()).toArray(), ACCURACY, true));
            series.add(new Svg.Series("baseline AP", baseX, base.stream()
                    .mapToDouble(p -> p.figures().averagePrecision()).toArray(), AP, true));
            Baseline baseline = report.comparison().baseline();
            key = List.of("solid: this run " + report.run().id() + " (" + models(report.models()) + ")",
                    "dashed: baseline " + baseline.run() + " (" + models(baseline.models()) + ")");
        }
        String axis = switch (kind) {
            case "jpeg" -> "JPEG quality";
            case "blur" -> "Gaussian blur sigma (pixels)";
            default -> "scale factor";
        };
        return Svg.lines("Robustness to " + kind, axis, "score", Svg.Range.of(x, baseX), Svg.Range.UNIT, series,
                false, true, key);
    }

    private String table() {
        StringBuilder t = new StringBuilder("<table><tr><th>group</th><th>n</th><th>acc</th><th>real</th>"
                + "<th>fake</th><th>AP</th><th>AUC</th><th>best acc</th><th>ECE</th><th>uncertain</th>"
                + "<th>unknown</th><th>not decided</th></tr>");
        for (EvalMetrics.Group g : report.groups()) {
            t.append("<tr><td>").append(Svg.escape(g.level().equals("all") ? "all" : g.level() + " " + g.name()))
                    .append("</td><td>").append(g.images());
            for (double v : new double[]{g.accuracy(), g.realAccuracy(), g.fakeAccuracy(), g.averagePrecision(),
                    g.auc(), g.best().accuracy(), g.ece(), g.uncertainRate(), g.unknownRate()}) {
                t.append("</td><td>").append(f(v));
            }
            t.append("</td><td>").append(g.notDecided().values().stream().mapToInt(Integer::intValue).sum())
                    .append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    /**
     * The tables "against the baseline": everything and each sweep point (accuracy, AP, AUC: this run, the
     * baseline's, the difference), then each generator's accuracy.
     */
    private static void against(StringBuilder page, BaselineComparison comparison) {
        page.append("<h2>Against the baseline</h2><div class=\"row\"><table class=\"against\"><tr><th></th>");
        for (String metric : List.of("acc", "AP", "AUC")) {
            page.append("<th>").append(metric).append("</th><th>baseline</th><th>Δ</th>");
        }
        page.append("</tr>");
        List<BaselineComparison.Row> rows = new ArrayList<>(comparison.rows("all"));
        rows.addAll(comparison.rows("sweep"));
        for (BaselineComparison.Row row : rows) {
            page.append("<tr><td>").append(Svg.escape(row.scope().equals("all") ? "all" : row.name())).append("</td>");
            Baseline.Figures d = row.delta();
            againstCells(page, row.run().accuracy(), row.baseline().accuracy(), d.accuracy());
            againstCells(page, row.run().averagePrecision(), row.baseline().averagePrecision(),
                    d.averagePrecision());
            againstCells(page, row.run().auc(), row.baseline().auc(), d.auc());
            page.append("</tr>");
        }
        page.append("</table>");
        List<BaselineComparison.Row> generators = comparison.rows("generator");
        if (!generators.isEmpty()) {
            page.append("<table class=\"against-generators\"><tr><th>generator</th><th>acc</th><th>baseline</th>"
                    + "<th>Δ</th></tr>");
            for (BaselineComparison.Row row : generators) {
                page.append("<tr><td>").append(Svg.escape(row.name())).append("</td>");
                againstCells(page, row.run().accuracy(), row.baseline().accuracy(), row.delta().accuracy());
                page.append("</tr>");
            }
            page.append("</table>");
        }
        page.append("</div><p class=\"note\">Δ: this run minus the baseline (")
                .append(Svg.escape(comparison.baseline().source().toString()))
                .append("), on the same images; a sweep point only one run measured has no Δ. The same numbers: "
                        + "eval.json <code>baseline</code>, " + BaselineComparison.CSV + ".</p>");
    }

    private static void againstCells(StringBuilder page, double run, double baseline, double delta) {
        String direction = !(Math.abs(delta) >= 0.0005) ? "" : delta > 0 ? " class=\"up\"" : " class=\"down\"";
        page.append("<td>").append(f(run)).append("</td><td>").append(f(baseline)).append("</td><td")
                .append(direction).append(">").append(BaselineComparison.signed(delta)).append("</td>");
    }

    private static String models(Map<String, String> models) {
        return models.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String f(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "–" : String.valueOf((long) value);
    }
}
