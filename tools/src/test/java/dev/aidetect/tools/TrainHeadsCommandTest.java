package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.HeadMetadata;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.fixtures.GaussianClouds;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;
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
                .containsPattern("(?m)^best: \\S+ \\S+ accuracy=").doesNotContain("detection head: ");
        String best = run.out().lines().filter(l -> l.startsWith("best: ")).findFirst().orElseThrow().split(" ")[1];
        assertThat(VectorHead.load(out.resolve("family.head")).metadata().algorithm()).isEqualTo(best);
        assertThat(VectorHead.load(out.resolve("detection.head")).metadata().algorithm()).isEqualTo("lda");
        assertThat(out.resolve("family.head.partial")).doesNotExist();
    }

    @Test
    void pcaAndAnotherReductionAtOnceIsAUsageErrorSayingWhichToKeep() {
        CliRun run = CliRun.of("train", "heads", "--embeddings", "x.avro", "--pca", "8", "--reduce", "autoencoder",
                "--dims", "8");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("--pca 8 and --reduce/--dims",
                "use --reduce pca --dims 8 alone");
    }

    @Test
    void anUnknownReductionOrOneWithoutDimensionsIsAUsageError() {
        CliRun unknown = CliRun.of("train", "heads", "--embeddings", "x.avro", "--reduce", "umap", "--dims", "8");
        CliRun noDims = CliRun.of("train", "heads", "--embeddings", "x.avro", "--reduce", "autoencoder");

        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errorLines()).singleElement().asString().contains("unknown reduction 'umap'",
                "none, pca or autoencoder");
        assertThat(noDims.exit()).isEqualTo(2);
        assertThat(noDims.errorLines()).singleElement().asString().contains("(--dims N)");
    }

    @Test
    void augmentingVectorsThatHaveNoPixelsIsAUsageError() {
        CliRun run = CliRun.of("train", "heads", "--embeddings", "x.avro", "--augment", "jpeg,blur");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("--augment", "needs --images");
    }

    @Test
    void trainsHeadsThatReduceWithAnAutoencoderAndServeLikeTheTrainedOnes() throws IOException {
        // given
        Path file = clouds(3);
        Path out = dir.resolve("models");

        // when
        CliRun run = CliRun.of("train", "heads", "--embeddings", file.toString(), "--out", out.toString(),
                "--reduce", "autoencoder", "--dims", "3", "--autoencoder-epochs", "4");

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("autoencoder 8 -> 8 -> 3 epoch 4/4");
        assertThat(run.out()).contains("reduction autoencoder-3 (8 hidden, 4 epochs, reconstruction MSE");
        for (String head : List.of("detection.head", "family.head")) {
            HeadMetadata.Reduction reduction = VectorHead.load(out.resolve(head)).metadata().reduction();
            assertThat(reduction.method()).isEqualTo("autoencoder");
            assertThat(reduction.dimensions()).isEqualTo(3);
        }
    }

    @Test
    void comparingRunsTheGridOfEveryHeadWithEveryReductionAndKeepsTheBestCell() throws IOException {
        // given
        Path file = clouds(4);
        Path out = dir.resolve("models");

        // when
        CliRun run = CliRun.of("train", "heads", "--embeddings", file.toString(), "--out", out.toString(),
                "--compare", "--folds", "2", "--grid-dims", "4,2", "--autoencoder-epochs", "3");

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> rows = run.out().lines().filter(l -> l.matches("^[a-z0-9-]+ +(none|pca-\\d|autoencoder-\\d) .*"))
                .toList();
        assertThat(rows).hasSize(13 * 5);
        for (String reduction : List.of("none", "pca-4", "pca-2", "autoencoder-4", "autoencoder-2")) {
            assertThat(rows).filteredOn(l -> l.split(" +")[1].equals(reduction)).hasSize(13);
            assertThat(rows).anySatisfy(l -> assertThat(l).startsWith("logistic-regression").contains(" " + reduction
                    + " ").doesNotContain("failed"));
        }
        String[] best = run.out().lines().filter(l -> l.startsWith("best: ")).findFirst().orElseThrow().split(" ");
        HeadMetadata kept = VectorHead.load(out.resolve("detection.head")).metadata();
        assertThat(kept.algorithm()).isEqualTo(best[1]);
        assertThat(kept.reduction().method() + (kept.reduction().dimensions() == 0
                ? ""
                : "-" + kept.reduction().dimensions())).isEqualTo(best[2]);
    }

    @Test
    void augmentingEmbedsCopiesOfEveryImageSaysHowManyAndTrainsOnThoseOfTheTrainingSplit() throws IOException {
        // given: 12 images of each of three generators
        Path images = dir.resolve("images");
        SampleSetWriter.write(images, List.of(SyntheticGenerator.REAL, SyntheticGenerator.UPCONV_GAN,
                SyntheticGenerator.LATENT_DIFFUSION), 12, 32, 5, false, n -> {
                });
        Path out = dir.resolve("models");

        // when
        CliRun run = CliRun.of("train", "heads", "--images", images.toString(), "--encoder",
                "../deploy/models/tiny-clip-vit/manifest.json", "--out", out.toString(), "--augment",
                "jpeg,blur,jitter,crop", "--copies", "2");

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("embedded 36 images and 72 augmented copies (2 per image: [blur, crop, "
                + "jitter, jpeg])");
        HeadMetadata.Training training = VectorHead.load(out.resolve("detection.head")).metadata().training();
        assertThat(training.augmentedCount()).isEqualTo(2 * training.trainCount());
        assertThat(training.trainCount() + training.validationCount()).isEqualTo(36);
    }

    /** An Avro file of REAL, gan and diffusion clouds of 8-dimensional vectors. */
    private Path clouds(long seed) throws IOException {
        Path file = dir.resolve("embeddings-" + seed + ".avro");
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "gan", "diffusion"), 30, 8, 6, seed);
        try (EmbeddingFiles.Writer writer = EmbeddingFiles.write(file)) {
            for (int i = 0; i < clouds.vectors().size(); i++) {
                writer.accept(embedding("img-" + i, clouds.vectors().get(i), clouds.labels().get(i)));
            }
        }
        return file;
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
