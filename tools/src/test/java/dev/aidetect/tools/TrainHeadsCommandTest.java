package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.fixtures.GaussianClouds;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.tools.train.EmbeddingFiles;

/**
 * {@code aidetect train heads} from an Avro file of embeddings, no broker needed: the options a user gets wrong are
 * usage errors naming what is accepted, and {@code --compare} prints its table and keeps the best head.
 */
class TrainHeadsCommandTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownThresholdRuleIsAUsageErrorListingTheRules() {
        CliRun run = CliRun.of("train", "heads", "--embeddings", "x.avro", "--threshold", "0.7");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("unknown threshold rule '0.7'",
                "fixed-0.5, best-accuracy or fpr=<rate>", "aidetect train heads --help");
    }

    @Test
    void aFalsePositiveRateOutsideZeroToOneIsAUsageError() {
        CliRun run = CliRun.of("train", "heads", "--embeddings", "x.avro", "--threshold", "fpr=5");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("between 0 and 1, got 5.0");
    }

    @Test
    void anUnknownCalibrationIsAUsageErrorListingTheKnownOnes() {
        CliRun run = CliRun.of("train", "heads", "--embeddings", "x.avro", "--calibration", "sigmoid");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("unknown calibration 'sigmoid'", "platt",
                "isotonic");
    }

    @Test
    void anUnknownStageToCompareIsAUsageError() {
        CliRun run = CliRun.of("train", "heads", "--embeddings", "x.avro", "--compare", "--stage", "attribution");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("unknown stage 'attribution'",
                "detection, family or both");
    }

    @Test
    void twoSourcesOfVectorsAreAUsageError() {
        CliRun run = CliRun.of("train", "heads", "--embeddings", "x.avro", "--topic", "images.embedded");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("mutually exclusive");
    }

    @Test
    void noSourceOfVectorsIsAUsageErrorNamingTheThree() {
        CliRun run = CliRun.of("train", "heads");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("--images", "--topic", "--embeddings");
    }

    @Test
    void aMissingEmbeddingsFileFailsInOneLineSayingHowToWriteOne() {
        Path missing = dir.resolve("none.avro");

        CliRun run = CliRun.of("train", "heads", "--embeddings", missing.toString(), "--out", dir.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains(missing.toString(),
                "aidetect export embeddings");
    }

    @Test
    void comparingTheFamilyHeadPrintsATableAndKeepsTheBestWhileDetectionUsesTheAlgorithmGiven() throws IOException {
        // given
        Path file = dir.resolve("embeddings.avro");
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "gan", "diffusion"), 30, 8, 6, 1);
        try (EmbeddingFiles.Writer writer = EmbeddingFiles.write(file)) {
            for (int i = 0; i < clouds.vectors().size(); i++) {
                writer.accept(embedding("img-" + i, clouds.vectors().get(i), clouds.labels().get(i)));
            }
        }
        Path out = dir.resolve("models");

        // when
        CliRun run = CliRun.of("train", "heads", "--embeddings", file.toString(), "--out", out.toString(),
                "--algorithm", "lda", "--compare", "--stage", "family", "--folds", "2");

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("family head: 2-fold cross-validation, gan vs diffusion (diffusion positive)")
                .containsPattern("(?m)^best: \\S+ accuracy=").doesNotContain("detection head: ");
        String best = run.out().lines().filter(l -> l.startsWith("best: ")).findFirst().orElseThrow().split(" ")[1];
        assertThat(VectorHead.load(out.resolve("family.head")).metadata().algorithm()).isEqualTo(best);
        assertThat(VectorHead.load(out.resolve("detection.head")).metadata().algorithm()).isEqualTo("lda");
        assertThat(out.resolve("family.head.partial")).doesNotExist();
    }

    private static ImageEmbedding embedding(String id, float[] vector, String cloud) {
        List<Float> values = new ArrayList<>();
        for (float v : vector) {
            values.add(v);
        }
        ImageLabel label = cloud.equals("REAL")
                ? new ImageLabel(Authenticity.REAL, null, null, null)
                : new ImageLabel(Authenticity.FAKE, cloud, null, null);
        return ImageEmbedding.newBuilder().setImageId(id).setEncodedBy(new ModelRef("tiny-clip", "1"))
                .setVector(values).setWidth(32).setHeight(32).setSubmittedAt(Instant.EPOCH)
                .setEmbeddedAt(Instant.EPOCH).setTimings(new EmbeddingTimings(0L, 0L, 0L, 0L, 1)).setLabel(label)
                .build();
    }
}
