package dev.aidetect.heads.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.fixtures.SyntheticGenerators;
import dev.aidetect.testing.Prerequisites;

/** Imports a torchvision ResNet written as TorchScript by Debian's Python torch; skipped where that is missing. */
class AttributionImportTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int CROP = 64;
    private static final List<String> CLASSES = List.of("biggan", "stylegan", "stylegan2");
    private static final Map<String, List<BufferedImage>> IMAGES = SyntheticGenerators.images(3, 96, 11);
    private static final BufferedImage IMAGE = IMAGES.get(SyntheticGenerators.BLOCKY).getFirst();

    @TempDir
    static Path dir;
    static double[] pythonProbabilities;

    @BeforeAll
    static void writeAResNetWithPythonTorch() throws Exception {
        Prerequisites.requireDebianTorch(run(PYTHON.toString(), "-c", "import torch, torchvision") == 0);
        float[] crop = PixelCrops.centre(IMAGE, CROP, PixelInput.RESIDUAL);
        ByteBuffer bytes = ByteBuffer.allocate(4 * crop.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : crop) {
            bytes.putFloat(value);
        }
        Files.write(dir.resolve("input.bin"), bytes.array());
        Path script = Path.of("src/test/resources/torchscript_resnet.py");
        assertThat(run(PYTHON.toString(), script.toString(), dir.resolve("model.pt").toString(),
                dir.resolve("input.bin").toString(), Integer.toString(CROP), Integer.toString(CLASSES.size()),
                dir.resolve("probabilities.txt").toString())).isZero();
        pythonProbabilities = Files.readAllLines(dir.resolve("probabilities.txt")).stream()
                .mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void importedNetworkGivesPythonsProbabilities() throws IOException {
        try (AttributionNetwork network = AttributionImport.importTorchScript(dir.resolve("model.pt"), CLASSES, "gan",
                CROP, Map.of(), dir.resolve("imported"))) {
            AttributionDecision decision = network.attribute(IMAGE);

            for (int i = 0; i < CLASSES.size(); i++) {
                assertThat(decision.scores().get(CLASSES.get(i))).isCloseTo(pythonProbabilities[i], within(1e-4));
            }
            assertThat(java.util.Arrays.stream(pythonProbabilities).max().orElseThrow()).isGreaterThan(0.5);
            AttributionMetadata metadata = network.metadata();
            assertThat(metadata.weights()).isEqualTo(AttributionMetadata.TORCHSCRIPT_WEIGHTS);
            assertThat(metadata.unknownThreshold()).isEqualTo(AttributionImport.DEFAULT_THRESHOLD);
            assertThat(metadata.thresholdMethod()).isEqualTo("default-0.5-uncalibrated");
            assertThat(metadata.version()).hasSize(12);
        }
        try (AttributionNetwork reloaded = AttributionNetwork.load(dir.resolve("imported"))) {
            assertThat(reloaded.attribute(IMAGE).scores().get(CLASSES.getFirst()))
                    .isCloseTo(pythonProbabilities[0], within(1e-4));
        }
    }

    @Test
    void calibratesTheImportedThresholdOnLabelledImages() throws IOException {
        Map<String, List<BufferedImage>> labelled = Map.of(CLASSES.get(0), IMAGES.get(SyntheticGenerators.BLOCKY),
                CLASSES.get(1), IMAGES.get(SyntheticGenerators.SMOOTH));

        try (AttributionNetwork network = AttributionImport.importTorchScript(dir.resolve("model.pt"), CLASSES, "gan",
                CROP, labelled, dir.resolve("calibrated"))) {
            assertThat(network.metadata().validationCount()).isEqualTo(6);
            assertThat(network.metadata().thresholdMethod()).startsWith("min(p5-of-correct-validation-confidence");
            assertThat(network.metadata().examplesPerClass()).containsOnlyKeys(CLASSES.get(0), CLASSES.get(1));
        }
    }

    @Test
    void refusesAClassListThatDoesNotMatchTheModulesOutputs() {
        assertThatThrownBy(() -> AttributionImport.importTorchScript(dir.resolve("model.pt"), List.of("a", "b"),
                "gan", CROP, Map.of(), dir.resolve("wrong"))).isInstanceOf(IOException.class)
                .hasMessageContaining("gives 3 scores but 2 classes are listed");
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return process.exitValue();
    }
}
