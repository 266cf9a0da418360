package dev.aidetect.heads.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.heads.fixtures.SyntheticGenerators;

/**
 * Real/fake networks averaged into one detection model: two short runs on the same synthetic images and split (one on
 * 28-pixel crops, one on the whole 32-pixel image with a border), written as an ensemble with and without mirrored
 * crops.
 */
class DetectionEnsembleTest {
    private static final AttributionOptions OPTIONS = AttributionOptions.detectorDefaults().withEpochs(2)
            .withBatchSize(8).withValidationFraction(0.2);

    @TempDir
    static Path dir;
    static Map<String, List<BufferedImage>> images;
    static AttributionTrainer.HeldOut heldOut;

    @BeforeAll
    static void trainTwoMembersOnTheSameSplit() throws IOException {
        Map<String, List<BufferedImage>> generated = SyntheticGenerators.images(30, 32, 5);
        images = Map.of(DetectionNetwork.FAKE, generated.get(SyntheticGenerators.BLOCKY), DetectionNetwork.REAL,
                generated.get(SyntheticGenerators.SMOOTH));
        AttributionTrainer trainer = new AttributionTrainer(epoch -> {
        }, step -> {
        });
        trainer.trainDetector(images, OPTIONS, ThresholdRule.BEST_ACCURACY, dir.resolve("a"), Checkpoints.none())
                .close();
        trainer.trainDetector(images, OPTIONS.withNetwork(32, 20).withPad(4), ThresholdRule.BEST_ACCURACY,
                dir.resolve("b"), Checkpoints.none()).close();
        heldOut = AttributionTrainer.heldOut(images, OPTIONS.validationFraction(), OPTIONS.seed());
    }

    @Test
    void averagesTheMembersPFakeOverEachCropAndItsMirror() throws IOException {
        BufferedImage image = SyntheticGenerators.images(1, 32, 9).get(SyntheticGenerators.BLOCKY).getFirst();
        BufferedImage mirrored = mirror(image);

        try (DetectionNetwork ensemble = write("mirrored", true);
                DetectionNetwork a = DetectionNetwork.load(dir.resolve("a"));
                DetectionNetwork b = DetectionNetwork.load(dir.resolve("b"))) {
            // each member's centre crop of a 32x32 image is centred, so its mirror is the mirrored image's crop
            double expected = (a.fakeProbability(image) + a.fakeProbability(mirrored) + b.fakeProbability(image)
                    + b.fakeProbability(mirrored)) / 4;
            assertThat(ensemble.fakeProbability(image)).isCloseTo(expected, within(1e-6));
            assertThat(ensemble.detect(image).score()).isEqualTo(ensemble.fakeProbability(image));
            assertThat(ensemble.members()).extracting(AttributionMetadata::version)
                    .containsExactly(a.version(), b.version());
            assertThat(ensemble.id()).isEqualTo("detection-ensemble-2-mirror");
            assertThat(ensemble.mirrored()).isTrue();
            assertThat(ensemble.classes()).containsExactlyInAnyOrder(DetectionNetwork.FAKE, DetectionNetwork.REAL);
        }
    }

    @Test
    void choosesItsThresholdOnTheSharedHeldOutImagesAndRecordsItsMetrics() throws IOException {
        try (DetectionNetwork ensemble = write("plain", false)) {
            DetectionThreshold serving = ensemble.serving();
            assertThat(serving.method()).isEqualTo(ThresholdRule.BEST_ACCURACY.method());
            assertThat(serving.threshold()).isBetween(0.0, 1.0);
            // best accuracy on the held-out images, so at least what either fixed choice gives
            int fake = heldOut.classes().indexOf(DetectionNetwork.FAKE);
            int right = 0;
            for (int i = 0; i < heldOut.images().size(); i++) {
                boolean calledFake = ensemble.fakeProbability(heldOut.images().get(i)) >= serving.threshold();
                right += calledFake == (heldOut.labels()[i] == fake) ? 1 : 0;
            }
            assertThat(serving.validationAccuracy()).isEqualTo(right / (double) heldOut.images().size());
            assertThat(serving.validationAp()).isBetween(0.0, 1.0);
            assertThat(heldOut.images()).hasSize(12);
        }
    }

    @Test
    void isVersionedByWhatItComputesWithAndLoadsAgainAsTheSameModel() throws IOException {
        String plain;
        String mirrored;
        try (DetectionNetwork one = write("v1", false);
                DetectionNetwork again = write("v2", false);
                DetectionNetwork other = write("v3", true)) {
            plain = one.version();
            mirrored = other.version();
            assertThat(again.version()).isEqualTo(plain);
        }
        assertThat(mirrored).isNotEqualTo(plain);
        try (DetectionNetwork loaded = DetectionNetwork.load(dir.resolve("v1"))) {
            assertThat(loaded.version()).isEqualTo(plain);
            assertThat(loaded.members()).hasSize(2);
        }
        // the ensemble is self-contained: its members were copied in
        assertThat(dir.resolve("v1").resolve(DetectionEnsemble.MEMBERS)).isDirectoryContaining(
                path -> Files.isRegularFile(path.resolve(AttributionMetadata.FILE)));
    }

    @Test
    void refusesMembersThatHeldOutOtherImages() {
        AttributionTrainer.HeldOut other = AttributionTrainer.heldOut(Map.of(DetectionNetwork.FAKE,
                images.get(DetectionNetwork.FAKE).subList(0, 20), DetectionNetwork.REAL,
                images.get(DetectionNetwork.REAL).subList(0, 20)), 0.2, 42);

        assertThatThrownBy(() -> DetectionEnsemble.write(List.of(dir.resolve("a"), dir.resolve("b")), false, "x",
                other, ThresholdRule.BEST_ACCURACY, dir.resolve("refused"), done -> {
                })).isInstanceOf(IOException.class).hasMessageContaining("was trained on")
                .hasMessageContaining("give the folder, seed and validation share it was trained with");
    }

    @Test
    void refusesAnEnsembleThatNamesAMemberOutsideItsFolder() throws IOException {
        write("tampered", false).close();
        Path file = dir.resolve("tampered").resolve(DetectionEnsemble.FILE);
        String json = Files.readString(file).replace("\"members/1-", "\"../a/../members/1-");
        Files.writeString(file, json.replaceFirst("\"members/2-[^\"]*\"", "\"../a\""), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> DetectionNetwork.load(dir.resolve("tampered"))).isInstanceOf(IOException.class)
                .hasMessageContaining("outside the ensemble's directory");
    }

    @Test
    void refusesFewerThanTwoMembers() {
        assertThatThrownBy(() -> DetectionEnsemble.write(List.of(dir.resolve("a")), false, "x", heldOut,
                ThresholdRule.BEST_ACCURACY, dir.resolve("one"), done -> {
                })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 member networks");
    }

    private static DetectionNetwork write(String name, boolean mirror) throws IOException {
        List<Integer> scored = new ArrayList<>();
        DetectionNetwork ensemble = DetectionEnsemble.write(List.of(dir.resolve("a"), dir.resolve("b")), mirror,
                DetectionEnsemble.defaultId(2, mirror), heldOut, ThresholdRule.BEST_ACCURACY, dir.resolve(name),
                scored::add);
        assertThat(scored).hasSize(heldOut.images().size());
        return ensemble;
    }

    private static BufferedImage mirror(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.setRGB(image.getWidth() - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }
}
