package dev.aidetect.heads.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.fixtures.SyntheticGenerators;

class AttributionNetworkTest {
    private static final AttributionOptions OPTIONS = AttributionOptions.defaults().withEpochs(5).withBatchSize(8);

    @TempDir
    static Path dir;
    static List<EpochReport> reports = new ArrayList<>();
    static AttributionNetwork trained;
    static Map<String, List<BufferedImage>> unseen;

    @BeforeAll
    static void trainOnTwoSyntheticGenerators() throws IOException {
        Map<String, List<BufferedImage>> images = SyntheticGenerators.images(40, 96, 3);
        trained = new AttributionTrainer(reports::add).train("gan", images, OPTIONS, dir);
        unseen = SyntheticGenerators.images(10, 96, 4);
    }

    @AfterAll
    static void closeNetwork() {
        trained.close();
    }

    @Test
    void learnsTwoVisuallyDistinctGenerators() {
        AttributionMetadata metadata = trained.metadata();

        assertThat(metadata.validationAccuracy()).isGreaterThan(0.9);
        assertThat(metadata.validationCount()).isEqualTo(16);
        assertThat(reports).hasSize(5);
        assertThat(reports.getLast().validationAccuracy()).isGreaterThan(0.9);
    }

    @Test
    void namesTheGeneratorOfFreshImages() {
        unseen.forEach((generator, images) -> images.forEach(
                image -> assertThat(trained.attribute(image).decision()).isIn(generator, AttributionMetadata.UNKNOWN)));
        long named = unseen.entrySet().stream()
                .flatMap(e -> e.getValue().stream().filter(i -> trained.attribute(i).decision().equals(e.getKey())))
                .count();
        assertThat(named).isGreaterThanOrEqualTo(16);
    }

    @Test
    void readoutGivesTheServedCentreLogitsAndPenultimateFeaturesOfFiveCrops() {
        BufferedImage image = unseen.values().iterator().next().getFirst();

        AttributionReadout readout = trained.readout(image);

        assertThat(readout.logits()).hasDimensions(5, 2);
        assertThat(readout.centreLogits()).containsExactly(trained.logits(image), within(1e-4f));
        assertThat(readout.features()).hasNumberOfRows(5);
        assertThat(readout.centreFeatures()).hasSize(512);
        assertThat(readout.features()[1]).isNotEqualTo(readout.centreFeatures());
    }

    @Test
    void directoryHoldsParametersAndDescription() throws IOException {
        AttributionMetadata metadata = trained.metadata();

        assertThat(Files.exists(dir.resolve("attribution-0000.params"))).isTrue();
        assertThat(Files.exists(dir.resolve("attribution.json"))).isTrue();
        assertThat(metadata.id()).isEqualTo("attribution-gan-resnet18");
        assertThat(metadata.family()).isEqualTo("gan");
        assertThat(metadata.classes()).containsExactly(SyntheticGenerators.SMOOTH, SyntheticGenerators.BLOCKY);
        assertThat(metadata.cropSize()).isEqualTo(64);
        assertThat(metadata.depth()).isEqualTo(18);
        assertThat(metadata.version()).hasSize(12);
        assertThat(metadata.unknownThreshold()).isBetween(0.5, 1.0);
        assertThat(metadata.thresholdMethod()).isEqualTo("min(p5-of-correct-validation-confidence, 0.9)");
        assertThat(metadata.unknownThreshold()).isLessThanOrEqualTo(AttributionCalibration.MAX_THRESHOLD);
    }

    @Test
    void artifactRoundTripGivesIdenticalScores() throws IOException {
        try (AttributionNetwork loaded = AttributionNetwork.load(dir)) {
            assertThat(loaded.metadata()).isEqualTo(trained.metadata());
            for (BufferedImage image : unseen.get(SyntheticGenerators.BLOCKY)) {
                assertThat(loaded.attribute(image)).isEqualTo(trained.attribute(image));
            }
        }
    }

    @Test
    void refusesANetworkTrainedOnRawPixelsBeforeResiduals(@TempDir Path copy) throws IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path file : files.toList()) {
                java.nio.file.Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path json = copy.resolve("attribution.json");
        String current = "\"formatVersion\" : " + AttributionMetadata.FORMAT_VERSION;
        assertThat(java.nio.file.Files.readString(json)).contains(current);
        java.nio.file.Files.writeString(json,
                java.nio.file.Files.readString(json).replace(current, "\"formatVersion\" : 1"));

        assertThatThrownBy(() -> AttributionNetwork.load(copy))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("attribution format 1")
                .hasMessageContaining("retrain");
    }

    @Test
    void answersUnknownWhenNoGeneratorReachesTheThreshold() throws IOException {
        BufferedImage image = unseen.get(SyntheticGenerators.SMOOTH).getFirst();

        try (AttributionNetwork strict = AttributionNetwork.load(dir, 1.0)) {
            AttributionDecision decision = strict.attribute(image);

            assertThat(decision.unknown()).isTrue();
            assertThat(decision.threshold()).isEqualTo(1.0);
            assertThat(decision.scores()).containsOnlyKeys(SyntheticGenerators.SMOOTH, SyntheticGenerators.BLOCKY);
            assertThat(decision.score()).isEqualTo(trained.attribute(image).score());
        }
    }

    @Test
    void attributesImagesSmallerThanTheCrop() {
        AttributionDecision decision = trained.attribute(SyntheticGenerators.flat(20, 128));

        assertThat(decision.scores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void loadingAMissingDirectorySaysHowToGetOne() {
        assertThatThrownBy(() -> AttributionNetwork.load(dir.resolve("nothing-here"))).isInstanceOf(IOException.class)
                .hasMessageContaining("train one");
    }

    @Test
    void refusesASingleGenerator() {
        Map<String, List<BufferedImage>> one = Map.of("stylegan", unseen.get(SyntheticGenerators.BLOCKY));

        assertThatThrownBy(() -> new AttributionTrainer().train("gan", one, OPTIONS, dir.resolve("one")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two generators");
    }
}
