package dev.aidetect.tools.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.HeadComparison;
import dev.aidetect.heads.HeadReduction;
import dev.aidetect.heads.HeadStage;

class ComparisonReportTest {
    @Test
    void printsOneRowPerHeadAFailureReasonAndEndsWithTheBestLine() {
        HeadComparison.Row forest = new HeadComparison.Row(HeadAlgorithm.RANDOM_FOREST, HeadReduction.autoencoder(32),
                0.9, 0.88, 0.92, 0.95, 0.96,
                1234, Path.of("rf.head"), 700 * 1024, null);
        HeadComparison.Row qda = new HeadComparison.Row(HeadAlgorithm.QUADRATIC_DISCRIMINANT, HeadReduction.none(),
                Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, null, 0, "singular");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ComparisonReport.print(new HeadComparison.Result(List.of(forest, qda), forest), HeadStage.DETECTION,
                List.of("REAL", "FAKE"), 5,
                new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("detection head: 5-fold cross-validation"));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).contains("head", "reduction", "accuracy", "real-acc", "fake-acc", "AP"));
        assertThat(lines).anySatisfy(
                l -> assertThat(l).startsWith("random-forest").contains("autoencoder-32", "0.9000", "0.8800",
                        "0.9200", "0.9500", "0.9600", "1234", "700.0 KiB"));
        assertThat(lines).contains("qda                  none            failed: singular");
        assertThat(lines.getLast()).isEqualTo("best: random-forest autoencoder-32 accuracy=0.9000 ap=0.9500");
    }

    @Test
    void namesTheFamilyStageAndItsClassesInTheFamilyTable() {
        HeadComparison.Row lda = new HeadComparison.Row(HeadAlgorithm.LINEAR_DISCRIMINANT, HeadReduction.pca(64), 0.8,
                0.7, 0.9, 0.85, 0.86,
                12, Path.of("lda.head"), 2048, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ComparisonReport.print(new HeadComparison.Result(List.of(lda), lda), HeadStage.FAMILY,
                List.of("gan", "diffusion"), 3,
                new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("family head: 3-fold cross-validation, gan vs "
                + "diffusion (diffusion positive)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("gan-acc", "diffusion-acc"));
        assertThat(lines.getLast()).isEqualTo("best: lda pca-64 accuracy=0.8000 ap=0.8500");
    }
}
