package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageLabel;

class PipelineReportTest {
    private static final long SECOND = 1_000_000_000L;

    /** A pipeline run whose 40 timed finals came in 10 s after a warm-up of 10, latencies 1..40 x 100 ms. */
    private static PipelineFeed.Outcome pipeline() {
        RateWindow window = new RateWindow(10, 50, null);
        window.advance(0, 10);
        window.advance(10 * SECOND, 50);
        double[] latencies = new double[40];
        for (int i = 0; i < 40; i++) {
            latencies[i] = 100.0 * (i + 1);
        }
        FinalVerdict[] finals = new FinalVerdict[50];
        for (int i = 0; i < 50; i++) {
            finals[i] = FinalVerdict.newBuilder().setImageId("id-" + i).setStatus(FinalStatus.DECIDED)
                    .setAuthenticity(i % 2 == 0 ? Authenticity.REAL : Authenticity.FAKE)
                    .setGenerator(i % 2 == 0 ? null : "upconv-gan").setFinalizedAt(Instant.EPOCH).build();
        }
        Map<String, ProcessFigures.Usage> processes = Map.of("embedder", new ProcessFigures.Usage(8.0, 900));
        // every fifth a phone-size image, the odd ones fakes
        List<TopicRecording.SentSubmission> sent = IntStream.range(0, 50)
                .mapToObj(i -> new TopicRecording.SentSubmission(
                        new Submissions.Submission(i, "id-" + i, new PipelineImages.Image("image-" + i,
                                new byte[1], "image/jpeg", i % 2 == 0
                                        ? new ImageLabel(Authenticity.REAL, null, null, null)
                                        : new ImageLabel(Authenticity.FAKE, "gan", "upconv-gan", null),
                                i % 5 == 0), false),
                        Instant.EPOCH, 0, i, 0))
                .toList();
        return new PipelineFeed.Outcome(window, latencies, finals, 0, processes, sent, "");
    }

    private static StageBench.Result alone(PipelineStage stage, double seconds) {
        return new StageBench.Result(stage, 40, seconds, Map.of(stage.label(), new ProcessFigures.Usage(seconds,
                500)), null);
    }

    @Test
    void endsWithTheRateTheSlowestStageAloneTheirRatioAndTheP99() {
        // given the pipeline at 4 img/s and the stages alone at 5, 20 and 80 img/s
        PipelineReport report = new PipelineReport(pipeline(), List.of(alone(PipelineStage.EMBEDDER, 8),
                alone(PipelineStage.CLASSIFIER, 2), alone(PipelineStage.ROUTER, 0.5)), Map.of());

        // when
        StringWriter out = new StringWriter();
        report.print(new PrintWriter(out));

        // then the embedder is the bottleneck, and the pipeline reaches 0.8 of it
        String[] lines = out.toString().strip().split("\n");
        assertThat(lines[lines.length - 1]).isEqualTo("pipeline: 4.00 img/s, bottleneck embedder 5.00 img/s, "
                + "pipeline/bottleneck 0.80, p99 4000 ms");
        assertThat(out.toString()).contains("finals: 50 of 50, DECIDED 50, DECIDED FAKE 25, DECIDED REAL 25, "
                + "DECIDED with a generator 25; 0 second finals");
        assertThat(out.toString()).containsPattern("embedder +pipeline +8\\.0 +200\\.0 +900");
        assertThat(out.toString()).contains("  phone-size inline: 10 images, 10 finals; fakes 5: called FAKE 5, a "
                + "generator named 5; not decided: none",
                "  small inline: 40 images, 40 finals; fakes 20: called "
                        + "FAKE 20, a generator named 20; not decided: none");
    }

    @Test
    void aStageThatCouldNotRunIsSkippedAndTheBottleneckIsAmongTheOthers() {
        PipelineReport report = new PipelineReport(pipeline(), List.of(StageBench.Result.failed(
                PipelineStage.EMBEDDER, "not built"), alone(PipelineStage.CLASSIFIER, 4)), Map.of());

        StringWriter out = new StringWriter();
        report.print(new PrintWriter(out));

        assertThat(out.toString()).contains("embedder alone     skipped: not built");
        assertThat(report.lastLine()).startsWith("pipeline: 4.00 img/s, bottleneck classifier 10.00 img/s, "
                + "pipeline/bottleneck 0.40");
    }

    @Test
    void writesTheFiguresAsJsonWithoutNaN(@TempDir Path dir) throws Exception {
        PipelineReport report = new PipelineReport(pipeline(), List.of(StageBench.Result.failed(
                PipelineStage.ROUTER, "timed out"), alone(PipelineStage.EMBEDDER, 8)), Map.of("images", 40));

        report.writeJson(dir.resolve("figures.json"));

        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("figures.json")));
        assertThat(json.at("/pipeline/imagesPerSecond").asDouble()).isEqualTo(4.0);
        assertThat(json.at("/pipeline/p99Ms").asDouble()).isEqualTo(4000.0);
        assertThat(json.at("/stagesAlone/embedder/imagesPerSecond").asDouble()).isEqualTo(5.0);
        assertThat(json.at("/stagesAlone/router/failure").asText()).isEqualTo("timed out");
        assertThat(json.at("/bottleneck").asText()).isEqualTo("embedder");
        assertThat(json.at("/pipelineOverBottleneck").asDouble()).isEqualTo(0.8);
        assertThat(json.at("/settings/images").asInt()).isEqualTo(40);
        assertThat(json.at("/line").asText()).isEqualTo(report.lastLine());
    }
}
