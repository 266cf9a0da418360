package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code eval --baseline}: an earlier eval's eval.json read back, this run's figures against it (overall, per sweep
 * point, per generator) in eval.json, baseline.csv and the report, and a baseline of other data refused.
 */
class BaselineTest {
    @TempDir
    Path dir;

    /** Accuracy 3/6 = 0.5; stylegan's group 3/4, sd-1.4's 1/4; AUC 6/8 (the 0.7 real above both sd-1.4 fakes). */
    static ScoredImages before() {
        return new ScoredImages().real("set", 0.1).real("set", 0.7)
                .fake("set", "gan", "stylegan", 0.9, "gan", "stylegan")
                .fake("set", "gan", "stylegan", 0.8, "gan", "stylegan")
                .fake("set", "diffusion", "sd-1.4", 0.4, null, null)
                .fake("set", "diffusion", "sd-1.4", 0.3, null, null);
    }

    /** The same six images, better: accuracy 5/6; stylegan's group 3/4 (no change), sd-1.4's 4/4; AUC 1. */
    static ScoredImages after() {
        return new ScoredImages().real("set", 0.1).real("set", 0.2)
                .fake("set", "gan", "stylegan", 0.9, "gan", "stylegan")
                .fake("set", "gan", "stylegan", 0.4, "gan", "stylegan")
                .fake("set", "diffusion", "sd-1.4", 0.6, "diffusion", "sd-1.4")
                .fake("set", "diffusion", "sd-1.4", 0.7, "diffusion", "sd-1.4");
    }

    static EvalRun run(String id, String detector) {
        return new EvalRun(id, "offline", Instant.parse("2026-12-03T00:00:00Z"), null,
                Map.of("tiny-clip-vit", "1", "cifake-resnet20", detector), List.of(new EvalRun.Input("in",
                        "real/, fake/<family>/<generator>/", List.of("set"), 6, List.of())),
                List.of(), null, Map.of(), 0, 1.0);
    }

    static SweepResult point(String kind, double value, String run, ScoredImages images) {
        SweepPoint point = new SweepPoint(kind, value);
        return new SweepResult(point, run + "-" + point.runSuffix(), EvalMetrics.groups(images.list()), List.of(),
                null, 1.0);
    }

    /** The baseline as an earlier eval wrote it: swept at jpeg=90 and blur=1. */
    private Baseline writtenBaseline() {
        EvalReport earlier = new EvalReport(run("eval-0", "1"), before().list(), List.of(
                point("jpeg", 90, "eval-0", before()), point("blur", 1, "eval-0", before())), null);
        earlier.write(dir.resolve("eval-0"));
        return Baseline.read(dir.resolve("eval-0"));
    }

    /** This run, swept at jpeg=90 and jpeg=50, against the baseline. */
    private EvalReport against(Baseline baseline) {
        return new EvalReport(run("eval-1", "2-augmented"), after().list(), List.of(
                point("jpeg", 90, "eval-1", after()), point("jpeg", 50, "eval-1", before())), null, baseline);
    }

    @Test
    void readsTheRunModelsFiguresAndSweepPointsAnEarlierEvalWrote() {
        Baseline baseline = writtenBaseline();

        assertThat(baseline.source()).isEqualTo(dir.resolve("eval-0").resolve(EvalReport.JSON));
        assertThat(baseline.run()).isEqualTo("eval-0");
        assertThat(baseline.models()).containsEntry("cifake-resnet20", "1").containsEntry("tiny-clip-vit", "1");
        assertThat(baseline.all().accuracy()).isEqualTo(0.5);
        assertThat(baseline.all().auc()).isEqualTo(0.75);
        assertThat(baseline.generators()).containsOnlyKeys("stylegan", "sd-1.4");
        assertThat(baseline.generators().get("sd-1.4").accuracy()).isEqualTo(0.25);
        assertThat(baseline.sweeps()).extracting(Baseline.Point::label).containsExactly("jpeg=90", "blur=1");
    }

    @Test
    void givesEachFigureTheBaselinesAndTheSignedDifference() {
        BaselineComparison comparison = against(writtenBaseline()).comparison();

        assertThat(comparison.rows()).extracting(r -> r.scope() + " " + r.name()).containsExactly("all all",
                "sweep jpeg=90", "sweep jpeg=50", "sweep blur=1", "generator sd-1.4", "generator stylegan");
        BaselineComparison.Row all = comparison.all();
        assertThat(all.run().accuracy()).isEqualTo(5 / 6.0, within(1e-12));
        assertThat(all.baseline().accuracy()).isEqualTo(0.5);
        assertThat(BaselineComparison.signed(all.delta().accuracy())).isEqualTo("+0.333");
        assertThat(BaselineComparison.signed(all.delta().auc())).isEqualTo("+0.250");
        assertThat(comparison.rows("sweep").get(0).delta().accuracy()).isEqualTo(1 / 3.0, within(1e-12));
        assertThat(comparison.rows("sweep").get(1).baseline().accuracy()).as("jpeg=50: only this run").isNaN();
        assertThat(comparison.rows("sweep").get(2).run().accuracy()).as("blur=1: only the baseline").isNaN();
        assertThat(comparison.rows("sweep").get(2).baseline().accuracy()).isEqualTo(0.5);
        assertThat(BaselineComparison.signed(comparison.rows("generator").get(0).delta().accuracy()))
                .isEqualTo("+0.750");
        assertThat(BaselineComparison.signed(comparison.rows("generator").get(1).delta().accuracy()))
                .isEqualTo("+0.000");
        assertThat(BaselineComparison.signed(-0.12)).isEqualTo("-0.120");
        assertThat(BaselineComparison.signed(Double.NaN)).isEqualTo("–");
    }

    @Test
    void writesTheBaselinesFiguresAndTheDifferencesIntoEvalJsonAndBaselineCsv() throws Exception {
        against(writtenBaseline()).write(dir.resolve("eval-1"));

        JsonNode baseline = new ObjectMapper().readTree(dir.resolve("eval-1").resolve(EvalReport.JSON).toFile())
                .path("baseline");
        assertThat(baseline.path("run").asText()).isEqualTo("eval-0");
        assertThat(baseline.path("models").path("cifake-resnet20").asText()).isEqualTo("1");
        JsonNode all = baseline.path("rows").path(0);
        assertThat(all.path("scope").asText()).isEqualTo("all");
        assertThat(all.path("run").path("accuracy").asDouble()).isEqualTo(5 / 6.0, within(1e-12));
        assertThat(all.path("baseline").path("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(all.path("delta").path("accuracy").asDouble()).isEqualTo(1 / 3.0, within(1e-12));
        assertThat(baseline.path("rows").path(2).path("delta").path("accuracy").isNull()).as("jpeg=50").isTrue();

        List<String> csv = Files.readAllLines(dir.resolve("eval-1").resolve(BaselineComparison.CSV));
        assertThat(csv.getFirst()).isEqualTo(String.join(",", BaselineComparison.CSV_COLUMNS));
        assertThat(csv).hasSize(1 + 6);
        assertThat(csv.get(1)).startsWith("all,all,0.8333333333333334,0.5,0.33333333333333337,");
        assertThat(csv.get(5)).startsWith("generator,sd-1.4,1.0,0.25,0.75,");
        assertThat(csv.get(3)).startsWith("sweep,jpeg=50,0.5,,,");
    }

    @Test
    void printsTheComparisonBesideTheRunsTable() {
        java.io.StringWriter text = new java.io.StringWriter();
        against(writtenBaseline()).print(new java.io.PrintWriter(text, true));

        assertThat(text.toString()).contains("against the baseline, run eval-0 (cifake-resnet20 1, head 1, "
                + "tiny-clip-vit 1)")
                .containsPattern("all +0\\.833 +0\\.500 +\\+0\\.333 ")
                .containsPattern("sweep jpeg=50 +0\\.500 +- +- ");
    }

    @Test
    void refusesABaselineWithAnotherImageCount() {
        Baseline baseline = writtenBaseline();
        ScoredImages more = after().real("set", 0.3);

        assertThatThrownBy(() -> baseline.requireSameData(EvalMetrics.groups(more.list())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--baseline " + baseline.source() + " (run eval-0) was evaluated on other data: this run "
                        + "has images: 7 (3 real, 4 fake), the baseline images: 6 (2 real, 4 fake); evaluate both "
                        + "with the same --dataset folders, --limit and --fake-family/--fake-generator, or drop "
                        + "--baseline");
    }

    @Test
    void refusesABaselineWhoseFakesCameFromOtherGenerators() {
        Baseline baseline = writtenBaseline();
        ScoredImages renamed = new ScoredImages().real("set", 0.1).real("set", 0.2)
                .fake("set", "gan", "stylegan", 0.9, "gan", "stylegan")
                .fake("set", "gan", "stylegan", 0.4, "gan", "stylegan")
                .fake("set", "diffusion", "sd-2.1", 0.6, null, null)
                .fake("set", "diffusion", "sd-2.1", 0.7, null, null);

        assertThat(baseline.differs(EvalMetrics.groups(renamed.list()))).isEqualTo("this run has generator sd-2.1: "
                + "4 (2 real, 2 fake), the baseline has no generator sd-2.1");
        assertThat(baseline.differs(EvalMetrics.groups(after().list()))).isNull();
    }

    @Test
    void refusesAFileThatNoEvalWroteSayingWhatToGive() throws Exception {
        Path html = Files.writeString(dir.resolve("report.html"), "<!DOCTYPE html>");
        Path other = Files.writeString(dir.resolve("other.json"), "{\"format\": \"something-else\"}");

        assertThatThrownBy(() -> Baseline.read(dir.resolve("missing.json"))).hasMessageContaining("no such file")
                .hasMessageContaining("give the eval.json (or the folder) that an earlier ./aidetect eval wrote");
        assertThatThrownBy(() -> Baseline.read(html)).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> Baseline.read(other)).hasMessageContaining("is not an eval report");
    }

    @Test
    void aBaselineWithoutSweepPointsStillGivesTheOverallTable() {
        new EvalReport(run("eval-0", "1"), before().list()).write(dir.resolve("plain"));
        EvalReport report = new EvalReport(run("eval-1", "2"), after().list(), List.of(), null,
                Baseline.read(dir.resolve("plain").resolve(EvalReport.JSON)));

        assertThat(report.comparison().rows()).extracting(BaselineComparison.Row::scope).containsExactly("all",
                "generator", "generator");
        String html = new HtmlReport(report).html();
        assertThat(html).contains("<h2>Against the baseline</h2>", "<td>all</td><td>0.833</td><td>0.500</td>"
                + "<td class=\"up\">+0.333</td>").doesNotContain("<h2>Robustness</h2>");
    }
}
