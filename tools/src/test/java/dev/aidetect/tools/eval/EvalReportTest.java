package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What an evaluation writes and prints: every number in eval.json, a row per group and per image in CSV, the line. */
class EvalReportTest {
    @TempDir
    Path out;

    private final ScoredImages images = new ScoredImages().real("set", 0.1).real("set", 0.7)
            .fake("set", "gan", "stylegan", 0.9, "gan", "stylegan").fake("set", "gan", "stylegan", 0.4, null, null);
    private final EvalRun run = new EvalRun("eval-1", "offline", Instant.parse("2026-12-03T00:00:00Z"), null,
            Map.of("tiny-clip-vit", "1"), List.of(new EvalRun.Input("set", "real/, fake/<family>/<generator>/",
                    List.of("set"), 4, List.of())),
            List.of(), null, Map.of(), 0, 2.0);

    @Test
    void endsWithTheSummaryLineNamingTheReport() {
        EvalReport report = new EvalReport(run, images.list());

        assertThat(report.summaryLine(out)).isEqualTo("eval: 4 images, acc=0.5000, ap=0.8333, auc=0.7500, report="
                + out.resolve("report.html"));
    }

    @Test
    void writesEveryNumberWithCurvesAndImagesAsJsonAndTablesAsCsv() throws Exception {
        EvalReport report = new EvalReport(run, images.list());

        report.write(out);

        JsonNode json = new ObjectMapper().readTree(out.resolve(EvalReport.JSON).toFile());
        assertThat(json.at("/line").asText()).isEqualTo(report.summaryLine(out));
        assertThat(json.at("/run/mode").asText()).isEqualTo("offline");
        assertThat(json.at("/run/models/head").asText()).isEqualTo("1");
        assertThat(json.at("/run/models/tiny-clip-vit").asText()).isEqualTo("1");
        JsonNode all = json.at("/groups/0");
        assertThat(all.at("/level").asText()).isEqualTo("all");
        assertThat(all.at("/auc").asDouble()).isEqualTo(0.75);
        assertThat(all.at("/bestAccuracy").asDouble()).isEqualTo(0.75);
        // the ROC curve starts above every score: its threshold is not a number, written null
        assertThat(all.at("/roc/threshold/0").isNull()).isTrue();
        assertThat(all.at("/roc/truePositiveRate")).hasSize(5);
        assertThat(all.at("/pr/recall")).isNotEmpty();
        assertThat(all.at("/reliability")).hasSize(EvalMetrics.RELIABILITY_BINS);
        assertThat(all.at("/reliability/5/meanScore").isNull()).isTrue();
        assertThat(json.at("/confusion/generator/truth")).extracting(JsonNode::asText).containsExactly("real",
                "stylegan");
        assertThat(json.at("/images")).hasSize(4);
        assertThat(json.at("/images/2/score").asDouble()).isEqualTo(0.9);
        assertThat(json.at("/images/2/predictedGenerator").isNull()).isTrue();
        assertThat(json.at("/latencyMillis/p50").asDouble()).isEqualTo(5);
        assertThat(json.at("/throughput/imagesPerSecond").asDouble()).isEqualTo(2.0);
        List<String> groups = Files.readAllLines(out.resolve(EvalReport.GROUPS_CSV));
        assertThat(groups.getFirst()).isEqualTo(String.join(",", EvalReport.GROUP_COLUMNS));
        assertThat(groups).hasSize(1 + 4);
        assertThat(groups.get(4)).startsWith("generator,stylegan,gan,4,2,2,4,0.5,0.5,0.5,0.5,");
        List<String> scores = Files.readAllLines(out.resolve(EvalReport.SCORES_CSV));
        assertThat(scores).hasSize(1 + 4);
        assertThat(scores.get(3)).startsWith("img-2,set/img-2,set,FAKE,gan,stylegan,DECIDED,FAKE,0.9,0.5,FAKE,");
    }

    @Test
    void writesEachSweepPointsNumbersToJsonCsvAndTheTable() throws Exception {
        SweepPoint jpeg = new SweepPoint("jpeg", 50);
        ScoredImages degraded = new ScoredImages().real("set", 0.6).real("set", 0.7)
                .fake("set", "gan", "stylegan", 0.9, "gan", "stylegan").fake("set", "gan", "stylegan", 0.4, null, null);
        EvalReport report = new EvalReport(run, images.list(), List.of(new SweepResult(jpeg, "eval-1-jpeg50",
                EvalMetrics.groups(degraded.list()), List.of(), null, 1.0)), null);
        StringWriter printed = new StringWriter();

        report.write(out);
        report.print(new PrintWriter(printed, true));

        JsonNode json = new ObjectMapper().readTree(out.resolve(EvalReport.JSON).toFile());
        assertThat(json.at("/sweeps/0/kind").asText()).isEqualTo("jpeg");
        assertThat(json.at("/sweeps/0/value").asDouble()).isEqualTo(50);
        assertThat(json.at("/sweeps/0/run").asText()).isEqualTo("eval-1-jpeg50");
        assertThat(json.at("/sweeps/0/groups/0/accuracy").asDouble()).isEqualTo(0.25);
        assertThat(json.at("/sweeps/0/groups/0/averagePrecision").asDouble()).isEqualTo(0.75);
        List<String> csv = Files.readAllLines(out.resolve(EvalReport.SWEEPS_CSV));
        assertThat(csv.getFirst()).isEqualTo(String.join(",", EvalReport.SWEEP_COLUMNS));
        assertThat(csv.get(1)).startsWith("jpeg,50,eval-1-jpeg50,all,all,4,4,0.25,0.0,0.5,0.75,");
        assertThat(printed.toString()).containsPattern("(?m)^jpeg=50 +4 0\\.2500 0\\.0000 0\\.5000 0\\.7500");
        assertThat(out.resolve(HtmlReport.FILE)).content().contains("<title>Robustness to jpeg</title>");
    }

    @Test
    void printsARowPerGroupAndTheConfusionMatrices() {
        StringWriter printed = new StringWriter();

        new EvalReport(run, images.list()).print(new PrintWriter(printed, true));

        assertThat(printed.toString()).containsPattern("(?m)^all +4 0\\.5000 0\\.5000 0\\.5000 0\\.8333 0\\.7500 "
                + "0\\.7500 \\(0\\.400\\)").contains("generator stylegan", "family confusion", "generator confusion",
                        "offline run eval-1: 4 final verdicts in 2.0 s, 2.00 img/s");
    }
}
