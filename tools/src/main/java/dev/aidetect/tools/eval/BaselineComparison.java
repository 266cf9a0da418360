package dev.aidetect.tools.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.aidetect.tools.eval.Baseline.Figures;

/**
 * A run against its {@link Baseline}: for everything, each sweep point (of either run, matched by kind and value) and
 * each generator, this run's accuracy, AP and AUC, the baseline's, and the difference (this run minus the baseline;
 * NaN where either is not defined, as for a point only one run swept). Written into {@value EvalReport#JSON}
 * ({@code baseline}), {@value #CSV} and the report's "against the baseline" table.
 */
final class BaselineComparison {
    static final String CSV = "baseline.csv";
    static final List<String> CSV_COLUMNS = List.of("scope", "name", "accuracy", "baseline_accuracy",
            "delta_accuracy", "average_precision", "baseline_average_precision", "delta_average_precision", "auc",
            "baseline_auc", "delta_auc");

    /**
     * One line of the comparison.
     *
     * @param scope {@code all}, {@code sweep} or {@code generator}
     * @param name {@code all}, the sweep point ({@code jpeg=50}) or the generator
     * @param run this run's figures
     * @param baseline the baseline's figures
     */
    record Row(String scope, String name, Figures run, Figures baseline) {
        Figures delta() {
            return new Figures(run.accuracy() - baseline.accuracy(),
                    run.averagePrecision() - baseline.averagePrecision(), run.auc() - baseline.auc());
        }
    }

    private final Baseline baseline;
    private final List<Row> rows = new ArrayList<>();

    BaselineComparison(Baseline baseline, List<EvalMetrics.Group> groups, List<SweepResult> sweeps) {
        this.baseline = baseline;
        rows.add(new Row("all", "all", Figures.of(groups.getFirst()), baseline.all()));
        Map<String, Figures[]> points = new LinkedHashMap<>();
        sweeps.forEach(s -> points.computeIfAbsent(s.point().label(), k -> new Figures[]{Figures.NONE,
                Figures.NONE})[0] = Figures.of(s.all()));
        baseline.sweeps().forEach(p -> points.computeIfAbsent(p.label(), k -> new Figures[]{Figures.NONE,
                Figures.NONE})[1] = p.figures());
        points.forEach((label, pair) -> rows.add(new Row("sweep", label, pair[0], pair[1])));
        groups.stream().filter(g -> g.level().equals("generator")).forEach(g -> rows.add(new Row("generator",
                g.name(), Figures.of(g), baseline.generators().getOrDefault(g.name(), Figures.NONE))));
    }

    Baseline baseline() {
        return baseline;
    }

    /** Everything first, then the sweep points, then the generators. */
    List<Row> rows() {
        return rows;
    }

    List<Row> rows(String scope) {
        return rows.stream().filter(r -> r.scope().equals(scope)).toList();
    }

    /** The row of everything. */
    Row all() {
        return rows.getFirst();
    }

    /** {@code +0.031}, {@code -0.120}; {@code –} when not defined. */
    static String signed(double delta) {
        return Double.isNaN(delta) ? "–" : String.format(Locale.ROOT, "%+.3f", delta);
    }

    /** The {@code baseline} section of {@value EvalReport#JSON}. */
    void json(ObjectNode node) {
        node.put("source", baseline.source().toString());
        node.put("run", baseline.run());
        ObjectNode models = node.putObject("models");
        baseline.models().forEach(models::put);
        ArrayNode rowNodes = node.putArray("rows");
        for (Row row : rows) {
            ObjectNode r = rowNodes.addObject();
            r.put("scope", row.scope());
            r.put("name", row.name());
            figures(r.putObject("run"), row.run());
            figures(r.putObject("baseline"), row.baseline());
            figures(r.putObject("delta"), row.delta());
        }
    }

    /** {@value #CSV}: a row per line of the comparison. */
    String csv() {
        StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (Row row : rows) {
            Figures d = row.delta();
            csv.append(EvalReport.csvRow(List.of(row.scope(), row.name(), EvalReport.num(row.run().accuracy()),
                    EvalReport.num(row.baseline().accuracy()), EvalReport.num(d.accuracy()),
                    EvalReport.num(row.run().averagePrecision()), EvalReport.num(row.baseline().averagePrecision()),
                    EvalReport.num(d.averagePrecision()), EvalReport.num(row.run().auc()),
                    EvalReport.num(row.baseline().auc()), EvalReport.num(d.auc()))));
        }
        return csv.toString();
    }

    private static void figures(ObjectNode node, Figures f) {
        EvalReport.number(node, "accuracy", f.accuracy());
        EvalReport.number(node, "averagePrecision", f.averagePrecision());
        EvalReport.number(node, "auc", f.auc());
    }
}
