package dev.aidetect.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.fixtures.GaussianClouds;

/** A head that reduces vectors with an autoencoder trained by DJL: trained, written, loaded and served alike. */
class AutoencoderReductionTest {
    private static final List<String> CLASSES = List.of("REAL", "FAKE");
    private static final int SIZE = 32;

    @TempDir
    Path dir;

    private static HeadTrainingOptions autoencoder(int dimensions) {
        return HeadTrainingOptions.detection("tiny-clip").withReduction(HeadReduction.autoencoder(dimensions)
                .withEpochs(15));
    }

    @Test
    void anAutoencoderHeadLoadedFromItsArtifactDecidesFreshVectorsAsTheTrainedOne() throws IOException {
        // given
        GaussianClouds clouds = GaussianClouds.of(CLASSES, 150, SIZE, 6, 1);
        List<String> epochs = new ArrayList<>();
        VectorHead trained = new HeadTrainer(epochs::add).train(clouds.vectors(), clouds.labels(), autoencoder(4),
                dir.resolve("ae.head"));
        GaussianClouds fresh = GaussianClouds.of(CLASSES, 50, SIZE, 6, 7);

        // when
        VectorHead loaded = VectorHead.load(dir.resolve("ae.head"));

        // then
        assertThat(epochs).hasSize(15).first().asString().contains("autoencoder 32 -> 32 -> 4 epoch 1/15",
                "reconstruction MSE");
        HeadMetadata.Reduction reduction = loaded.metadata().reduction();
        assertThat(reduction.method()).isEqualTo("autoencoder");
        assertThat(reduction.dimensions()).isEqualTo(4);
        assertThat(reduction.hidden()).isEqualTo(32);
        assertThat(reduction.epochs()).isEqualTo(15);
        assertThat(reduction.reconstructionMse()).isBetween(0.0, 1.0);
        int correct = 0;
        for (int i = 0; i < fresh.vectors().size(); i++) {
            HeadDecision decision = loaded.classify(fresh.vectors().get(i));
            assertThat(decision).isEqualTo(trained.classify(fresh.vectors().get(i)));
            correct += decision.decision().equals(fresh.labels().get(i)) ? 1 : 0;
        }
        assertThat(correct).isGreaterThan(95);
        assertThat(loaded.metadata().validation().accuracy()).isGreaterThan(0.9);
    }

    @Test
    void theSameDataAndSeedGiveTheSameVersion() throws IOException {
        GaussianClouds clouds = GaussianClouds.of(CLASSES, 60, SIZE, 4, 2);

        VectorHead first = new HeadTrainer(line -> {
        }).train(clouds.vectors(), clouds.labels(), autoencoder(8), dir.resolve("a.head"));
        VectorHead second = new HeadTrainer(line -> {
        }).train(clouds.vectors(), clouds.labels(), autoencoder(8), dir.resolve("b.head"));

        assertThat(second.version()).isEqualTo(first.version());
    }

    @Test
    void refusesToReduceToAsManyDimensionsAsTheVectorsHave() {
        GaussianClouds clouds = GaussianClouds.of(CLASSES, 30, SIZE, 4, 3);

        assertThatThrownBy(() -> new HeadTrainer().train(clouds.vectors(), clouds.labels(), autoencoder(SIZE),
                dir.resolve("x.head"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autoencoder to 32 dimensions needs vectors longer than 32")
                .hasMessageContaining("choose fewer --dims");
    }

    @Test
    void augmentedCopiesOfTrainingVectorsAreFittedOnAndCopiesOfValidationVectorsAreNot() throws IOException {
        // given: two copies of every vector
        GaussianClouds clouds = GaussianClouds.of(CLASSES, 50, SIZE, 4, 4);
        List<List<float[]>> copies = clouds.vectors().stream().map(v -> List.of(v.clone(), v.clone())).toList();

        // when
        VectorHead head = new HeadTrainer().train(clouds.vectors(), clouds.labels(), copies,
                HeadTrainingOptions.detection("tiny-clip"), dir.resolve("aug.head"));

        // then
        HeadMetadata.Training training = head.metadata().training();
        assertThat(training.trainCount()).isEqualTo(80);
        assertThat(training.validationCount()).isEqualTo(20);
        assertThat(training.augmentedCount()).isEqualTo(160);
    }
}
