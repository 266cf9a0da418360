package dev.aidetect.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.VectorRejectedException.Reason;
import dev.aidetect.heads.fixtures.GaussianClouds;

class VectorHeadTest {
    private static final String ENCODER = "tiny-clip";
    private static final int SIZE = 32;

    @TempDir
    static Path dir;
    static Path artifact;
    static VectorHead trained;
    static GaussianClouds unseen;

    @BeforeAll
    static void trainOnTwoGaussianClouds() throws IOException {
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "FAKE"), 200, SIZE, 4, 7);
        artifact = dir.resolve("detection.head");
        trained = new HeadTrainer().train(clouds.vectors(), clouds.labels(), HeadTrainingOptions.detection(ENCODER),
                artifact);
        unseen = GaussianClouds.of(List.of("REAL", "FAKE"), 100, SIZE, 4, 8);
    }

    @Test
    void logisticHeadSeparatesTwoGaussianCloudsOnHeldOutData() {
        HeadMetadata.Validation validation = trained.metadata().validation();

        assertThat(validation.count()).isEqualTo(80);
        assertThat(validation.accuracy()).isGreaterThan(0.95);
        assertThat(validation.averagePrecision()).isGreaterThan(0.95);
        assertThat(validation.auc()).isGreaterThan(0.95);
    }

    @Test
    void classifiesFreshVectorsFromTheSameClouds() {
        int correct = 0;
        for (int i = 0; i < unseen.vectors().size(); i++) {
            HeadDecision decision = trained.classify(unseen.vectors().get(i));
            correct += decision.decision().equals(unseen.labels().get(i)) ? 1 : 0;

            assertThat(decision.decision()).isEqualTo(decision.score() >= 0.5 ? "FAKE" : "REAL");
            assertThat(decision.scores().get("FAKE")).isEqualTo(decision.score());
            assertThat(decision.scores().get("REAL") + decision.score()).isCloseTo(1.0, within(1e-9));
        }

        assertThat(correct / (double) unseen.vectors().size()).isGreaterThan(0.95);
    }

    @Test
    void artifactRecordsWhatTheHeadIsAndHowItWasMade() throws IOException {
        HeadMetadata metadata = VectorHead.load(artifact).metadata();

        assertThat(metadata.id()).isEqualTo("detection-logistic-regression");
        assertThat(metadata.version()).hasSize(12).isEqualTo(trained.version());
        assertThat(metadata.stage()).isEqualTo(HeadStage.DETECTION);
        assertThat(metadata.classes()).containsExactly("REAL", "FAKE");
        assertThat(metadata.positiveClass()).isEqualTo("FAKE");
        assertThat(metadata.encoder()).isEqualTo(new HeadMetadata.Encoder(ENCODER, SIZE));
        assertThat(metadata.preprocessing().l2Normalize()).isTrue();
        assertThat(metadata.preprocessing().mean()).hasSize(SIZE);
        assertThat(metadata.thresholdMethod()).isEqualTo("fixed-0.5");
        assertThat(metadata.training().examplesPerClass()).containsEntry("REAL", 200).containsEntry("FAKE", 200);
        assertThat(metadata.trainedAt()).isNotNull();
        try (ZipFile zip = new ZipFile(artifact.toFile())) {
            assertThat(zip.stream().map(e -> e.getName())).containsExactly("head.json", "model.ser");
        }
    }

    @Test
    void artifactRoundTripGivesIdenticalScores() throws IOException {
        VectorHead loaded = VectorHead.load(artifact);

        for (float[] vector : unseen.vectors()) {
            assertThat(loaded.classify(vector)).isEqualTo(trained.classify(vector));
        }
    }

    @Test
    void retrainingOnTheSameDataGivesTheSameVersion() throws IOException {
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "FAKE"), 200, SIZE, 4, 7);

        VectorHead again = new HeadTrainer().train(clouds.vectors(), clouds.labels(),
                HeadTrainingOptions.detection(ENCODER), dir.resolve("again.head"));

        assertThat(again.version()).isEqualTo(trained.version());
    }

    @Test
    void refusesAVectorOfTheWrongSize() {
        assertThatThrownBy(() -> trained.classify(new float[SIZE + 1]))
                .isInstanceOfSatisfying(VectorRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_VECTOR))
                .hasMessageContaining("size 33").hasMessageContaining("needs size 32");
    }

    @Test
    void refusesAVectorWithNaN() {
        float[] vector = unseen.vectors().getFirst().clone();
        vector[5] = Float.NaN;

        assertThatThrownBy(() -> trained.classify(vector))
                .isInstanceOfSatisfying(VectorRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_VECTOR))
                .hasMessageContaining("component 5 is NaN");
    }

    @Test
    void refusesAnInfiniteVector() {
        float[] vector = new float[SIZE];
        Arrays.fill(vector, Float.POSITIVE_INFINITY);

        assertThatThrownBy(() -> trained.classify(vector)).isInstanceOf(VectorRejectedException.class)
                .hasMessageContaining("Infinity");
    }

    @Test
    void refusesVectorsOfAnotherEncoder() {
        assertThatThrownBy(() -> trained.checkEncoder("openai-clip-vit-l-14", SIZE))
                .isInstanceOfSatisfying(VectorRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.ENCODER_MISMATCH))
                .hasMessageContaining("trained on tiny-clip").hasMessageContaining("from encoder openai-clip-vit-l-14");
    }

    @Test
    void refusesAVectorOfItsOwnEncoderWithTheWrongSizeAsABadVector() {
        assertThatThrownBy(() -> trained.checkEncoder(ENCODER, 3))
                .isInstanceOfSatisfying(VectorRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_VECTOR))
                .hasMessageContaining("size 3").hasMessageContaining("needs size 32");
    }

    @Test
    void acceptsVectorsOfItsOwnEncoder() {
        trained.checkEncoder(ENCODER, SIZE);
    }

    @Test
    void loadingSomethingElseSaysWhatIsWrong() throws IOException {
        Path notAHead = Files.writeString(dir.resolve("not-a-head.zip"), "hello");

        assertThatThrownBy(() -> VectorHead.load(notAHead)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a head artifact");
        assertThatThrownBy(() -> VectorHead.load(dir.resolve("missing.head"))).isInstanceOf(IOException.class)
                .hasMessageContaining("train one");
    }

}
