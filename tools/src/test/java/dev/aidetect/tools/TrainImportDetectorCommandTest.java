package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.attribution.AttributionMetadata;
import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.heads.attribution.TestViews;
import dev.aidetect.heads.fixtures.SyntheticGenerators;
import dev.aidetect.testing.Prerequisites;

/**
 * The GPU recipe's whole path on two tiny networks: {@code deploy/models/train_detector.py} trains and exports them with
 * Debian's torch (skipped where that is missing), {@code train import-detector} imports each, and
 * {@code train detector-ensemble --held-out} averages them; the imported network gives Python's P(FAKE).
 */
class TrainImportDetectorCommandTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("../deploy/models/train_detector.py");

    @TempDir
    static Path dir;

    @BeforeAll
    static void trainAndExportWithPython() throws Exception {
        Prerequisites.requireDebianTorch(run(PYTHON.toString(), "-c", "import torch, PIL") == 0);
        write(SyntheticGenerators.images(10, 32, 9).get(SyntheticGenerators.SMOOTH), dir.resolve("data/real"));
        write(SyntheticGenerators.images(10, 32, 9).get(SyntheticGenerators.BLOCKY), dir.resolve("data/fake/sd"));
        assertThat(run(PYTHON.toString(), SCRIPT.toString(), "train", "--images", dir.resolve("data").toString(),
                "--arch", "resnet-8", "wrn-10-1", "--epochs", "2", "--batch", "8", "--device", "cpu", "--out",
                dir.resolve("py").toString())).isZero();
        for (String name : List.of("resnet-8-s42", "wrn-10-1-s42")) {
            assertThat(run(PYTHON.toString(), SCRIPT.toString(), "export", "--weights",
                    dir.resolve("py/" + name + ".pt").toString(), "--out", dir.resolve(name + ".ts").toString()))
                    .isZero();
        }
    }

    @Test
    void importsTheNetworkWithItsThresholdChosenOnWhatItHeldOutAndGivesPythonsScore() throws Exception {
        CliRun run = importDetector("resnet-8-s42", "resnet");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("scoring 2 held-out images", "detection-resnet-8-rgb version",
                "on 2 held-out images");
        Path image = dir.resolve("data/fake/sd/image-0.png");
        try (DetectionNetwork network = DetectionNetwork.load(dir.resolve("resnet/detection-network"))) {
            AttributionMetadata metadata = network.metadata();
            assertThat(metadata.weights()).isEqualTo(AttributionMetadata.TORCHSCRIPT_WEIGHTS);
            assertThat(metadata.input()).isEqualTo("rgb");
            assertThat(metadata.validationCount()).isEqualTo(2);
            assertThat(metadata.examplesPerClass()).containsEntry("FAKE", 10).containsEntry("REAL", 10);
            assertThat(metadata.detection().method()).isEqualTo("best-accuracy-on-validation");
            assertThat(network.fakeProbability(ImageIO.read(image.toFile())))
                    .isCloseTo(pythonFakeProbability("resnet-8-s42.ts", image), within(1e-4));
        }
    }

    @Test
    void averagesImportedNetworksOnTheImagesTheyHeldOut() {
        assertThat(importDetector("resnet-8-s42", "a").exit()).isZero();
        assertThat(importDetector("wrn-10-1-s42", "b").exit()).isZero();

        CliRun run = CliRun.of("train", "detector-ensemble", "--members", dir.resolve("a/detection-network") + ","
                + dir.resolve("b/detection-network"), "--images", dir.resolve("data").toString(), "--held-out",
                dir.resolve("py/heldout.txt").toString(), "--mirror", "--out", dir.resolve("ensemble").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("scoring 2 held-out images with 2 networks", "on 2 held-out images");
        try (DetectionNetwork ensemble = DetectionNetwork.load(dir.resolve("ensemble/detection-network"))) {
            assertThat(ensemble.members()).hasSize(2);
            assertThat(ensemble.views()).isEqualTo(new TestViews(0, true));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void refusesAHeldOutListNamingImagesThatAreNotThere() throws IOException {
        Files.writeString(dir.resolve("wrong.txt"), "real/image-0.png\nreal/missing.png\n");

        CliRun run = CliRun.of("train", "import-detector", "--module", dir.resolve("resnet-8-s42.ts").toString(),
                "--images", dir.resolve("data").toString(), "--held-out", dir.resolve("wrong.txt").toString(),
                "--out", dir.resolve("refused").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("1 of the 2 held-out images named in", "missing.png",
                "give the folder the network was trained on");
    }

    private static CliRun importDetector(String name, String out) {
        return CliRun.of("train", "import-detector", "--module", dir.resolve(name + ".ts").toString(), "--images",
                dir.resolve("data").toString(), "--held-out", dir.resolve("py/heldout.txt").toString(), "--id",
                "detection-" + name.substring(0, name.lastIndexOf('-')) + "-rgb", "--out",
                dir.resolve(out).toString());
    }

    /** P(FAKE) of the module on the image as Python reads it: RGB, channels first, v / 127.5 - 1. */
    private static double pythonFakeProbability(String module, Path image) throws Exception {
        Path result = dir.resolve("p.txt");
        assertThat(run(PYTHON.toString(), "-c", String.join("\n",
                "import sys, numpy, torch",
                "from PIL import Image",
                "a = numpy.asarray(Image.open(sys.argv[2]).convert('RGB'), dtype=numpy.float32) / 127.5 - 1",
                "x = torch.from_numpy(a).permute(2, 0, 1)[None]",
                "p = torch.softmax(torch.jit.load(sys.argv[1])(x), 1)[0, 0]",
                "open(sys.argv[3], 'w').write(str(float(p)))"), dir.resolve(module).toString(), image.toString(),
                result.toString())).isZero();
        return Double.parseDouble(Files.readString(result).strip());
    }

    private static void write(List<BufferedImage> images, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < images.size(); i++) {
            ImageIO.write(images.get(i), "png", folder.resolve("image-" + i + ".png").toFile());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(args).inheritIO().start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return process.exitValue();
    }
}
