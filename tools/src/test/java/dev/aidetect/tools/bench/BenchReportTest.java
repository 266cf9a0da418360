package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

class BenchReportTest {

    /** A result of {@code images} images finished in {@code seconds}. */
    private static ModeResult result(String mode, int images, double seconds) {
        double[] latencies = new double[images];
        for (int i = 0; i < images; i++) {
            latencies[i] = seconds * 1000 * (i + 1) / images;
        }
        return new ModeResult(mode, images, seconds, latencies, 2048);
    }

    @Test
    void endsWithTheSummaryOfTheHeadlineModelAndJudgesBothTargets() {
        // given ViT-B/32 and ViT-L/14 results, python skipped for B/32
        BenchReport report = new BenchReport();
        report.add("vit-b-32", "ceiling", result("ceiling", 64, 8));
        report.skip("vit-b-32", "python", "no torch");
        report.add("vit-l-14", "ceiling", result("ceiling", 12, 40));
        report.add("vit-l-14", "inprocess", result("inprocess", 12, 42));
        report.add("vit-l-14", "kafka", result("kafka", 12, 44));
        report.add("vit-l-14", "python", result("python", 12, 80));

        // when
        StringWriter out = new StringWriter();
        report.print(new PrintWriter(out), 4, "2 threads");

        // then ViT-L/14 is the headline, 0.3 / 0.2857 / 0.2727 / 0.15 img/s
        String[] lines = out.toString().split("\n");
        assertThat(lines[lines.length - 1]).isEqualTo("embed: ceiling 0.30 img/s, inprocess 0.29 img/s, kafka 0.27 "
                + "img/s, python 0.15 img/s, kafka/ceiling 0.91, inprocess/python 1.90");
        assertThat(out.toString())
                .contains("vit-l-14: kafka/ceiling 0.91 (target >= 0.85: met), inprocess/python 1.90 (target >= 1.5: "
                        + "met)")
                .contains("vit-b-32: kafka/ceiling n/a (target >= 0.85: not measured)")
                .contains("vit-b-32   python     skipped: no torch");
    }

    @Test
    void reportsTheMedianRoundOfRepeatedModesAndListsEveryRound() {
        // given three rounds of each mode, the machine fast in one and slow in another
        BenchReport report = new BenchReport();
        report.add("vit-b-32", "ceiling", List.of(result("ceiling", 64, 4), result("ceiling", 64, 8),
                result("ceiling", 64, 5)));
        report.add("vit-b-32", "kafka", List.of(result("kafka", 64, 10), result("kafka", 64, 5),
                result("kafka", 64, 6)));

        // when
        StringWriter out = new StringWriter();
        report.print(new PrintWriter(out), 4, "2 threads");

        // then the medians (12.8 and 10.67 img/s) make the ratio, and every round is shown in the order it ran
        assertThat(out.toString())
                .contains("vit-b-32: kafka/ceiling 0.83")
                .contains("vit-b-32   ceiling    img/s by round: 16.00, 8.00, 12.80 (median in the table)")
                .contains("vit-b-32   kafka      img/s by round: 6.40, 12.80, 10.67 (median in the table)");
    }

    @Test
    void takesNearestRankPercentilesOfTheLatencies() {
        ModeResult result = new ModeResult("kafka", 4, 1, new double[]{40, 10, 30, 20}, 0);

        assertThat(result.latencyMs(50)).isEqualTo(20);
        assertThat(result.latencyMs(99)).isEqualTo(40);
        assertThat(result.imagesPerSecond()).isEqualTo(4);
    }

    @Test
    void readsTheResultLineAWorkerPrintsAfterItsProgress() {
        String json = new ModeResult("python", 2, 0.5, new double[]{250, 500}, 1234).toJson();

        ModeResult parsed = ModeResult.parseLastOf(List.of("loading", json), "python peer");

        assertThat(parsed.mode()).isEqualTo("python");
        assertThat(parsed.latenciesMs()).containsExactly(250, 500);
        assertThat(parsed.peakRssKb()).isEqualTo(1234);
    }
}
