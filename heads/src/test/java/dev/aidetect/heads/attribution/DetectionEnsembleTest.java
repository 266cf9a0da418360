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
 * 28-pixel crops, one on the whole 32-pixel image with a border), written as an ensemble with and without test-time
 * views.
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
        // written once, read by several tests: writing scores the held-out images with every member
        write("plain", TestViews.CENTRE).close();
    }

    @Test
    void averagesTheMembersPFakeOverEveryViewOfTheImage() throws IOException {
        BufferedImage image = SyntheticGenerators.images(1, 32, 9).get(SyntheticGenerators.BLOCKY).getFirst();
        TestViews views = new TestViews(2, true);

        try (DetectionNetwork ensemble = write("views", views);
                DetectionNetwork a = DetectionNetwork.load(dir.resolve("a"));
                DetectionNetwork b = DetectionNetwork.load(dir.resolve("b"))) {
            // each view by hand, as an image each single network's centre crop is all of: member a sees 28x28 crops
            // of the 32x32 image (centred at 2, 2, so a shift of 2 reaches the corners), member b the whole image
            // moved by the shift on mid-grey
            double sum = 0;
            for (TestViews.Offset offset : views.offsets()) {
                BufferedImage cropped = image.getSubimage(2 + offset.dx(), 2 + offset.dy(), 28, 28);
                BufferedImage moved = moved(image, offset.dx(), offset.dy());
                sum += a.fakeProbability(offset.mirror() ? SyntheticGenerators.mirrored(cropped) : cropped);
                sum += b.fakeProbability(offset.mirror() ? SyntheticGenerators.mirrored(moved) : moved);
            }
            assertThat(ensemble.fakeProbability(image)).isCloseTo(sum / 20, within(1e-5));
            assertThat(ensemble.detect(image).score()).isEqualTo(ensemble.fakeProbability(image));
            assertThat(ensemble.members()).extracting(AttributionMetadata::version)
                    .containsExactly(a.version(), b.version());
            assertThat(ensemble.id()).isEqualTo("detection-ensemble-2-shift2-mirror");
            assertThat(ensemble.views()).isEqualTo(views);
            assertThat(ensemble.classes()).containsExactlyInAnyOrder(DetectionNetwork.FAKE, DetectionNetwork.REAL);
        }
    }

    @Test
    void oneNetworkWithViewsIsTestTimeAugmentationAlone() throws IOException {
        BufferedImage image = SyntheticGenerators.images(1, 32, 9).get(SyntheticGenerators.SMOOTH).getFirst();

        try (DetectionNetwork mirrored = DetectionEnsemble.write(List.of(dir.resolve("a")), new TestViews(0, true),
                "tta", heldOut, ThresholdRule.BEST_ACCURACY, dir.resolve("tta"), done -> {
                });
                DetectionNetwork a = DetectionNetwork.load(dir.resolve("a"))) {
            double expected = (a.fakeProbability(image)
                    + a.fakeProbability(SyntheticGenerators.mirrored(image))) / 2;
            assertThat(mirrored.fakeProbability(image)).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void choosesItsThresholdOnTheSharedHeldOutImagesAndRecordsItsMetrics() throws IOException {
        try (DetectionNetwork ensemble = DetectionNetwork.load(dir.resolve("plain"))) {
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
        try (DetectionNetwork one = DetectionNetwork.load(dir.resolve("plain"));
                DetectionNetwork again = write("again", TestViews.CENTRE);
                DetectionNetwork other = write("mirrored", new TestViews(0, true))) {
            plain = one.version();
            mirrored = other.version();
            assertThat(again.version()).isEqualTo(plain);
        }
        assertThat(mirrored).isNotEqualTo(plain);
        try (DetectionNetwork loaded = DetectionNetwork.load(dir.resolve("again"))) {
            assertThat(loaded.version()).isEqualTo(plain);
            assertThat(loaded.members()).hasSize(2);
        }
        // the ensemble is self-contained: its members were copied in
        assertThat(dir.resolve("plain").resolve(DetectionEnsemble.MEMBERS)).isDirectoryContaining(
                path -> Files.isRegularFile(path.resolve(AttributionMetadata.FILE)));
    }

    @Test
    void refusesMembersThatHeldOutOtherImages() {
        AttributionTrainer.HeldOut other = AttributionTrainer.heldOut(Map.of(DetectionNetwork.FAKE,
                images.get(DetectionNetwork.FAKE).subList(0, 20), DetectionNetwork.REAL,
                images.get(DetectionNetwork.REAL).subList(0, 20)), 0.2, 42);

        assertThatThrownBy(() -> DetectionEnsemble.write(List.of(dir.resolve("a"), dir.resolve("b")),
                TestViews.CENTRE, "x",
                other, ThresholdRule.BEST_ACCURACY, dir.resolve("refused"), done -> {
                })).isInstanceOf(IOException.class).hasMessageContaining("was trained on")
                .hasMessageContaining("give the folder, seed and validation share it was trained with");
    }

    @Test
    void refusesAnEnsembleThatNamesAMemberOutsideItsFolder() throws IOException {
        Path tampered = Files.createDirectories(dir.resolve("tampered"));
        Files.copy(dir.resolve("plain").resolve(DetectionEnsemble.FILE), tampered.resolve(DetectionEnsemble.FILE));
        Path file = tampered.resolve(DetectionEnsemble.FILE);
        String json = Files.readString(file).replace("\"members/1-", "\"../a/../members/1-");
        Files.writeString(file, json.replaceFirst("\"members/2-[^\"]*\"", "\"../a\""), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> DetectionNetwork.load(dir.resolve("tampered"))).isInstanceOf(IOException.class)
                .hasMessageContaining("outside the ensemble's directory");
    }

    @Test
    void refusesOneNetworkWithNothingToAverage() {
        assertThatThrownBy(() -> DetectionEnsemble.write(List.of(dir.resolve("a")), TestViews.CENTRE, "x", heldOut,
                ThresholdRule.BEST_ACCURACY, dir.resolve("one"), done -> {
                })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 member networks")
                .hasMessageContaining("or 1 with several views");
    }

    private static DetectionNetwork write(String name, TestViews views) throws IOException {
        List<Integer> scored = new ArrayList<>();
        DetectionNetwork ensemble = DetectionEnsemble.write(List.of(dir.resolve("a"), dir.resolve("b")), views,
                DetectionEnsemble.defaultId(2, views), heldOut, ThresholdRule.BEST_ACCURACY, dir.resolve(name),
                scored::add);
        assertThat(scored).hasSize(heldOut.images().size());
        return ensemble;
    }

    /** The image moved by the crop's shift: what a view {@code dx}, {@code dy} of a whole-image crop shows. */
    private static BufferedImage moved(BufferedImage image, int dx, int dy) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int fromX = x + dx;
                int fromY = y + dy;
                boolean inside = fromX >= 0 && fromX < image.getWidth() && fromY >= 0 && fromY < image.getHeight();
                out.setRGB(x, y, inside ? image.getRGB(fromX, fromY) : 0x808080);
            }
        }
        return out;
    }
}
