package dev.aidetect.heads.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

import dev.aidetect.heads.fixtures.SyntheticGenerators;

class AttributionTrainingTest {
    private static final AttributionOptions TINY = AttributionOptions.defaults().withCropSize(32).withBatchSize(4)
            .withAugmentations(Set.of(Augmentation.JPEG, Augmentation.BLUR));
    private static final Map<String, List<BufferedImage>> IMAGES = SyntheticGenerators.images(10, 48, 5);

    @Test
    void resumesAfterTheLastCheckpointAndKeepsTheBestEpoch(@TempDir Path dir) throws IOException {
        List<EpochReport> first = new ArrayList<>();
        List<EpochReport> resumed = new ArrayList<>();
        Path checkpoints = dir.resolve("checkpoints");
        new AttributionTrainer(first::add).train("gan", IMAGES, TINY.withEpochs(2), dir.resolve("a"),
                new Checkpoints(checkpoints, false)).close();

        try (AttributionNetwork network = new AttributionTrainer(resumed::add).train("gan", IMAGES,
                TINY.withEpochs(3), dir.resolve("b"), new Checkpoints(checkpoints, true))) {
            assertThat(first).extracting(EpochReport::epoch).containsExactly(1, 2);
            assertThat(resumed).extracting(EpochReport::epoch).containsExactly(3);
            assertThat(Files.list(checkpoints).map(p -> p.getFileName().toString()))
                    .contains("epoch-001-0000.params", "epoch-002-0000.params", "epoch-003-0000.params",
                            "history.json");
            EpochReport best = java.util.stream.Stream.concat(first.stream(), resumed.stream())
                    .filter(EpochReport::best).reduce((a, b) -> b).orElseThrow();
            // Calibration measures the saved network on the same held-out centre crops as the epoch's validation.
            assertThat(network.metadata().validationAccuracy()).isEqualTo(best.validationAccuracy());
        }
    }

    @Test
    void aNetworkDirectoryKeepsOnlyTheLastBestEpochsWeights(@TempDir Path dir) throws IOException {
        try (Model model = Model.newInstance("keeps-one")) {
            model.setBlock(Linear.builder().setUnits(2).build());
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32,
                    new Shape(1, 3));
            for (int best = 0; best < 3; best++) {
                AttributionTrainer.saveOnly(model, dir);
            }
        }

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactly(AttributionMetadata.PARAMETERS_PREFIX + "-0000.params");
        }
    }

    @Test
    void refusesToResumeCheckpointsOfAnotherNetwork(@TempDir Path dir) throws IOException {
        Path checkpoints = dir.resolve("checkpoints");
        new AttributionTrainer(r -> {
        }).train("gan", IMAGES, TINY.withEpochs(1), dir.resolve("a"), new Checkpoints(checkpoints, false)).close();

        assertThatThrownBy(() -> new AttributionTrainer().train("gan", IMAGES, TINY.withCropSize(40),
                dir.resolve("b"), new Checkpoints(checkpoints, true)))
                .isInstanceOf(IOException.class).hasMessageContaining("another network")
                .hasMessageContaining("fresh checkpoint folder");
    }

    @Test
    void historyStopsCountingAtTheBestEpochAndPrefersLowerLossOnEqualAccuracy() {
        EpochHistory history = new EpochHistory(Checkpoints.none(), new ArrayList<>());

        assertThat(history.add(1, 9, 1.0, 0.5, 0.80, 0.60, Duration.ZERO).best()).isTrue();
        assertThat(history.add(2, 9, 0.8, 0.6, 0.90, 0.50, Duration.ZERO).best()).isTrue();
        assertThat(history.add(3, 9, 0.7, 0.7, 0.90, 0.55, Duration.ZERO).best()).isFalse();
        assertThat(history.add(4, 9, 0.6, 0.8, 0.90, 0.40, Duration.ZERO).best()).isTrue();
        assertThat(history.add(5, 9, 0.5, 0.9, 0.85, 0.30, Duration.ZERO).best()).isFalse();
        assertThat(history.add(6, 9, 0.4, 0.9, 0.90, 0.40, Duration.ZERO).best()).isFalse();

        assertThat(history.best().epoch()).isEqualTo(4);
        assertThat(history.epochsSinceBest()).isEqualTo(2);
        assertThat(history.nextEpoch()).isEqualTo(7);
    }

    @Test
    void refusesNegativePatienceAndResumingWithoutAFolder() {
        assertThatThrownBy(() -> TINY.withPatience(-1)).hasMessageContaining("patience");
        assertThatThrownBy(() -> new Checkpoints(null, true)).hasMessageContaining("checkpoint folder");
    }
}
