package dev.aidetect.heads.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.aidetect.testing.Prerequisites;

/**
 * The real/fake detector the project ships, {@code deploy/models/cifake-detector}: an ensemble of wide ResNets trained
 * on CIFAKE's training split and imported as TorchScript (its README says how): its files are the ones
 * {@code SHA256SUMS} names, it loads as a detection model averaging its members over each image and its mirror, and on
 * a seeded sample of {@code cifake-dev} (which it never saw) it tells Stable Diffusion 1.4 images from CIFAR photos. The
 * same holds for {@code deploy/models/cifake-detector-cpu}, the ensemble of ResNet-20s trained here on the CPU by
 * {@code ./aidetect train detector}, which it replaced as the default.
 */
class ShippedDetectorTest {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    static final Path SHIPPED = ROOT.resolve("deploy/models/cifake-detector");
    private static final Path CPU_TRAINED = ROOT.resolve("deploy/models/cifake-detector-cpu");
    private static final Path CIFAKE_DEV = ROOT.resolve("../shared/data/cifake-dev").normalize();
    private static final int PER_CLASS = 200;
    /**
     * Well below the 0.97 its README reports on all 4,000 of cifake-dev, well above what a broken network, a swapped
     * class order or a wrong crop would score (about 0.5).
     */
    private static final double ACCURACY_FLOOR = 0.90;

    static Stream<Path> shipped() {
        return Stream.of(SHIPPED, CPU_TRAINED);
    }

    /** Each shipped ensemble with how its members' weights are stored. */
    static Stream<Arguments> shippedWithWeights() {
        // The default: wide ResNets imported as TorchScript; the CPU-trained one: DJL's ResNet-20s.
        return Stream.of(Arguments.of(SHIPPED, AttributionMetadata.TORCHSCRIPT_WEIGHTS),
                Arguments.of(CPU_TRAINED, AttributionMetadata.DJL_WEIGHTS));
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void shippedFilesMatchTheirChecksums(Path shipped) throws IOException {
        Map<String, String> listed = new TreeMap<>();
        for (String line : Files.readAllLines(shipped.resolve("SHA256SUMS"))) {
            if (!line.isBlank()) {
                String[] parts = line.strip().split("\\s+\\*?", 2);
                listed.put(parts[1], parts[0]);
            }
        }
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.walk(shipped)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = shipped.relativize(file).toString();
                if (!name.equals("SHA256SUMS") && !name.equals("README.md")) {
                    actual.put(name, sha256(file));
                }
            }
        }
        assertThat(actual).as("the files of %s and their SHA-256 (SHA256SUMS lists every model file)", shipped)
                .isEqualTo(listed);
    }

    @ParameterizedTest
    @MethodSource("shippedWithWeights")
    void loadsAsTheEnsembleItsReadmeDescribes(Path shipped, String weights) throws IOException {
        try (DetectionNetwork network = DetectionNetwork.load(shipped)) {
            assertThat(network.classes()).containsExactlyInAnyOrder(DetectionNetwork.FAKE, DetectionNetwork.REAL);
            assertThat(network.views().mirror()).isTrue();
            assertThat(network.members()).hasSizeGreaterThanOrEqualTo(3).allSatisfy(member -> {
                assertThat(member.weights()).isEqualTo(weights);
                assertThat(member.pixelInput()).isEqualTo(PixelInput.RGB);
                assertThat(member.seed()).isEqualTo(42);
                assertThat(member.examplesPerClass()).containsEntry(DetectionNetwork.FAKE, 15_000)
                        .containsEntry(DetectionNetwork.REAL, 15_000);
            });
            assertThat(network.serving().validationAccuracy()).isGreaterThan(ACCURACY_FLOOR);
        }
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void tellsCifakeDevFakesFromRealPhotos(Path shipped) throws IOException {
        Prerequisites.require(Files.isDirectory(CIFAKE_DEV), "the CIFAKE sample " + CIFAKE_DEV,
                "place it at ../shared/data/cifake-dev beside the project (see ../shared/data/README.md)");
        // given a seeded sample of images the network never saw
        List<Path> real = sample(CIFAKE_DEV.resolve("real"));
        List<Path> fake = sample(CIFAKE_DEV.resolve("fake"));

        // when the shipped network calls each
        int right = 0;
        try (DetectionNetwork network = DetectionNetwork.load(shipped)) {
            right += count(network, real, DetectionNetwork.REAL);
            right += count(network, fake, DetectionNetwork.FAKE);
        }

        // then
        assertThat(right / (2.0 * PER_CLASS)).as("accuracy on %d cifake-dev images", 2 * PER_CLASS)
                .isGreaterThanOrEqualTo(ACCURACY_FLOOR);
    }

    private static int count(DetectionNetwork network, List<Path> images, String truth) throws IOException {
        int right = 0;
        for (Path file : images) {
            BufferedImage image = ImageIO.read(file.toFile());
            if (network.detect(image).decision().equals(truth)) {
                right++;
            }
        }
        return right;
    }

    private static List<Path> sample(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = new ArrayList<>(listed.sorted().toList());
        }
        Collections.shuffle(files, new Random(42));
        return files.subList(0, Math.min(PER_CLASS, files.size()));
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
