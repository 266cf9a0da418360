package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.heads.fixtures.SyntheticGenerators;

class TrainDetectorCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsTheRealFakeNetworkOnASampleOfAFolderAndShowsItsProgress() throws IOException {
        // given real/ and fake/<family>/<generator>/ images, 12 of each
        Map<String, List<BufferedImage>> images = SyntheticGenerators.images(12, 32, 9);
        write(images.get(SyntheticGenerators.SMOOTH), dir.resolve("data/real"));
        write(images.get(SyntheticGenerators.BLOCKY), dir.resolve("data/fake/diffusion/sd-1.4"));

        // when a short run takes 10 of each
        CliRun run = CliRun.of("train", "detector", "--images", dir.resolve("data").toString(), "--out",
                dir.resolve("models").toString(), "--per-class", "10", "--epochs", "2", "--batch", "4",
                "--validation", "0.2");

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("decoding 20/20", "training epoch 1/2 batch 1/4 (25%)", "images/s",
                "run left");
        assertThat(run.out()).contains("on 10 real and 10 fake images", "epoch 2/2", "detection-resnet20-rgb version",
                "at threshold", "(best-accuracy-on-validation)");
        try (DetectionNetwork network = DetectionNetwork.load(dir.resolve("models/detection-network"))) {
            assertThat(network.metadata().examplesPerClass()).containsExactlyInAnyOrderEntriesOf(
                    Map.of(DetectionNetwork.FAKE, 10, DetectionNetwork.REAL, 10));
            assertThat(network.metadata().epochs()).isEqualTo(2);
        }
    }

    @Test
    void refusesAnUnknownThresholdRuleWithTheChoices() {
        CliRun run = CliRun.of("train", "detector", "--images", dir.toString(), "--threshold", "best");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("fixed-0.5, best-accuracy or fpr=<rate>");
    }

    @Test
    void refusesADepthTheCropCannotHave() {
        CliRun run = CliRun.of("train", "detector", "--images", dir.toString(), "--depth", "18", "--crop", "28");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("18, 34 or 50 with crops above 28 pixels; got depth 18 with crop 28");
    }

    private static void write(List<BufferedImage> images, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < images.size(); i++) {
            ImageIO.write(images.get(i), "png", folder.resolve("image-" + i + ".png").toFile());
        }
    }
}
