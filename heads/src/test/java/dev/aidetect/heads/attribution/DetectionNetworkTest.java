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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.ArtifactJson;
import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.heads.fixtures.SyntheticGenerators;

/**
 * The real/fake network as the detector trains it on 32x32 images: DJL's CIFAR ResNet-20 on 28x28 crops in plain RGB,
 * a cosine learning rate, the serving threshold chosen on the held-out split; here on two synthetic "generators", one
 * called FAKE and one REAL. (The CIFAR layout on a whole 32x32 image is checked too.)
 */
class DetectionNetworkTest {
    private static final AttributionOptions OPTIONS = AttributionOptions.detectorDefaults().withEpochs(4)
            .withBatchSize(8).withValidationFraction(0.2);

    @TempDir
    static Path dir;
    static List<BatchProgress> steps = new ArrayList<>();
    static DetectionNetwork trained;

    @BeforeAll
    static void trainOnSyntheticRealAndFake() throws IOException {
        Map<String, List<BufferedImage>> images = SyntheticGenerators.images(40, 32, 5);
        trained = new AttributionTrainer(epoch -> {
        }, steps::add).trainDetector(Map.of(DetectionNetwork.FAKE, images.get(SyntheticGenerators.BLOCKY),
                DetectionNetwork.REAL, images.get(SyntheticGenerators.SMOOTH)), OPTIONS, ThresholdRule.BEST_ACCURACY,
                dir, Checkpoints.none());
    }

    @AfterAll
    static void closeNetwork() {
        trained.close();
    }

    @Test
    void callsFreshImagesRealOrFakeWithPFakeAsTheScore() {
        Map<String, List<BufferedImage>> unseen = SyntheticGenerators.images(10, 32, 6);

        long right = unseen.get(SyntheticGenerators.BLOCKY).stream()
                .filter(image -> trained.detect(image).decision().equals(DetectionNetwork.FAKE)).count()
                + unseen.get(SyntheticGenerators.SMOOTH).stream()
                        .filter(image -> trained.detect(image).decision().equals(DetectionNetwork.REAL)).count();
        assertThat(right).isGreaterThanOrEqualTo(18);
        BufferedImage any = unseen.get(SyntheticGenerators.BLOCKY).getFirst();
        assertThat(trained.detect(any).score()).isEqualTo(trained.fakeProbability(any))
                .isEqualTo(trained.detect(any).scores().get(DetectionNetwork.FAKE));
        assertThat(trained.detect(any).threshold()).isEqualTo(trained.serving().threshold());
    }

    @Test
    void recordsItsServingThresholdAndHeldOutMetricsInAVersionedArtifact() throws IOException {
        AttributionMetadata metadata = trained.metadata();
        DetectionThreshold serving = trained.serving();

        assertThat(trained.id()).isEqualTo("detection-resnet20-rgb");
        assertThat(trained.version()).hasSize(12);
        assertThat(metadata.classes()).containsExactly(DetectionNetwork.FAKE, DetectionNetwork.REAL);
        assertThat(metadata.pixelInput()).isEqualTo(PixelInput.RGB);
        assertThat(metadata.formatVersion()).as("older readers refuse a network on RGB")
                .isEqualTo(AttributionMetadata.RGB_FORMAT_VERSION);
        assertThat(serving.method()).isEqualTo("best-accuracy-on-validation");
        assertThat(serving.validationAccuracy()).isGreaterThan(0.9);
        assertThat(serving.validationAp()).isGreaterThan(0.9);
        assertThat(metadata.validationCount()).isEqualTo(16);
        assertThat(DetectionNetwork.load(dir).version()).isEqualTo(trained.version());
    }

    @Test
    void reportsEveryStepWithTheTimeLeft() {
        // 64 training images in batches of 8: 8 steps an epoch, 4 epochs
        assertThat(steps).hasSize(32);
        BatchProgress last = steps.getLast();
        assertThat(last.epoch()).isEqualTo(4);
        assertThat(last.batch()).isEqualTo(last.batches()).isEqualTo(8);
        assertThat(last.runLeft()).isEqualTo(last.validation());
        assertThat(steps.getFirst().toString()).startsWith("epoch 1/4 batch 1/8 (12%)").contains("images/s",
                "run left");
    }

    @Test
    void runsTheCifarLayoutOnAWholeImageLargerThanDjlBuildsItFor(@TempDir Path whole) throws IOException {
        Map<String, List<BufferedImage>> images = SyntheticGenerators.images(4, 32, 8);

        try (DetectionNetwork network = new AttributionTrainer().trainDetector(Map.of(DetectionNetwork.FAKE,
                images.get(SyntheticGenerators.BLOCKY), DetectionNetwork.REAL, images.get(SyntheticGenerators.SMOOTH)),
                OPTIONS.withNetwork(32, 20).withEpochs(1).withBatchSize(2), ThresholdRule.FIXED_HALF, whole,
                Checkpoints.none())) {
            assertThat(network.metadata().cropSize()).isEqualTo(32);
            assertThat(network.fakeProbability(images.get(SyntheticGenerators.BLOCKY).getFirst())).isBetween(0.0,
                    1.0);
        }
    }

    @Test
    void refusesAnAttributionNetworkAsADetector(@TempDir Path other) throws IOException {
        new AttributionTrainer().train("gan", SyntheticGenerators.images(4, 32, 7),
                AttributionOptions.defaults().withCropSize(32).withEpochs(1).withBatchSize(2), other).close();

        assertThatThrownBy(() -> DetectionNetwork.load(other)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a real/fake network").hasMessageContaining("aidetect train detector");
    }

    @Test
    void refusesANetworkWhoseFormatDisagreesWithItsInput(@TempDir Path copy) throws IOException {
        for (Path file : Files.list(dir).toList()) {
            Files.copy(file, copy.resolve(file.getFileName()));
        }
        AttributionMetadata metadata = trained.metadata();
        AttributionMetadata edited = new AttributionMetadata(AttributionMetadata.FORMAT_VERSION, metadata.id(),
                metadata.version(), metadata.family(), metadata.classes(), metadata.cropSize(), metadata.depth(),
                metadata.unknownThreshold(), metadata.thresholdMethod(), metadata.validationAccuracy(),
                metadata.validationCount(), metadata.examplesPerClass(), metadata.epochs(), metadata.seed(),
                metadata.trainedAt(), metadata.weights(), metadata.input(), metadata.detection());
        Files.write(copy.resolve(AttributionMetadata.FILE), ArtifactJson.write(edited));

        assertThatThrownBy(() -> DetectionNetwork.load(copy)).hasMessageContaining("format 2 but input rgb");
    }

    @Test
    void allowsTheImageNetDepthsOnlyForCropsAbove28AndTheCifarDepthsForAnyCrop() {
        assertThatThrownBy(() -> AttributionOptions.defaults().withNetwork(28, 18))
                .hasMessageContaining("18, 34 or 50 with crops above 28");
        assertThatThrownBy(() -> AttributionOptions.defaults().withNetwork(32, 21))
                .hasMessageContaining("got depth 21");
        assertThat(AttributionOptions.defaults().withNetwork(28, 56).depth()).isEqualTo(56);
        assertThat(AttributionOptions.defaults().withNetwork(32, 20).depth()).isEqualTo(20);
    }

    @Test
    void timeLeftCountsTheLaterEpochsAtThisPaceAndAValidationPassEach() {
        BatchProgress halfway = new BatchProgress(2, 5, 50, 100, 64, Duration.ofSeconds(25), 0.3, 0.9,
                Duration.ofSeconds(4));

        assertThat(halfway.imagesPerSecond()).isEqualTo(128.0);
        assertThat(halfway.epochLeft()).isEqualTo(Duration.ofSeconds(25));
        // 25 s left in this epoch, 3 more epochs of 50 s, 4 validation passes of 4 s
        assertThat(halfway.runLeft()).isEqualTo(Duration.ofSeconds(25 + 150 + 16));
    }
}
