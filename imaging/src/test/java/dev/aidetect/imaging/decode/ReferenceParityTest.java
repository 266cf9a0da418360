package dev.aidetect.imaging.decode;

import static dev.aidetect.testing.Prerequisites.requireDebianTorch;
import static dev.aidetect.testing.Prerequisites.requireSkimagePhotos;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.imaging.encoder.ImageEncoder;
import dev.aidetect.imaging.encoder.PreprocessMode;
import dev.aidetect.imaging.encoder.Preprocessor;
import dev.aidetect.imaging.fixtures.PythonReference;
import dev.aidetect.imaging.fixtures.TestImages;
import dev.aidetect.imaging.fixtures.Vectors;

/**
 * Java decoding, preprocessing and embedding against PIL + torchvision + TorchScript on real photos of different sizes
 * (scikit-image's samples, CIFAKE's 32x32 JPEGs, which exercise CROP padding and CLIP upscaling, and lossy WebP copies
 * that PIL writes of two of the photos). The tensor is
 * compared twice: from PIL's pixels (preprocessing alone) and from Java's own decode (decode + preprocessing), so a
 * difference shows where it comes from. Skipped when Debian's python3-torch/torchvision or the photos are absent.
 */
class ReferenceParityTest {

    private static final Path SKIMAGE = Path.of("/usr/lib/python3/dist-packages/skimage/data");
    private static final Path CIFAKE = TestImages.projectRoot().resolve("../shared/data/cifake-dev").normalize();
    private static final List<Path> PHOTOS = List.of(SKIMAGE.resolve("astronaut.png"), SKIMAGE.resolve("coffee.png"),
            SKIMAGE.resolve("chelsea.png"), SKIMAGE.resolve("motorcycle_left.png"), SKIMAGE.resolve("camera.png"),
            SKIMAGE.resolve("palette_color.png"), SKIMAGE.resolve("rocket.jpg"),
            SKIMAGE.resolve("hubble_deep_field.jpg"), SKIMAGE.resolve("retina.jpg"),
            CIFAKE.resolve("real/0001__2_.jpg"), CIFAKE.resolve("real/0002__8_.jpg"));
    private static final double TENSOR_TOLERANCE = 1e-6;
    private static final double MIN_COSINE = 0.9999;
    private static final double MIN_LOSSY_WEBP_COSINE = 0.999;

    /** One image's numbers; arrays are indexed by {@link PreprocessMode#ordinal()}. */
    record Row(String name, String size, String format, int decodeMaxDiff, double decodeMeanDiff,
            double[] prepDiff, double[] fullDiff, double[] cosine) {
    }

    private static final List<Row> ROWS = new ArrayList<>();
    private static ImageEncoder encoder;

    @BeforeAll
    static void compareAllPhotosWithPython(@TempDir Path out) throws Exception {
        List<Path> photos = new ArrayList<>(PHOTOS.stream().filter(Files::isRegularFile).toList());
        requireDebianTorch(PythonReference.available());
        requireSkimagePhotos(photos.size() >= 3);
        photos.add(PythonReference.webpCopy(photos.get(1), out.resolve(stem(photos.get(1)) + ".webp")));
        photos.add(PythonReference.webpCopy(photos.get(2), out.resolve(stem(photos.get(2)) + ".webp")));
        encoder = ImageEncoder.load(TestImages.tinyEncoderManifest());
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        for (PythonReference.Result python : PythonReference.compute(encoder.manifest().verifiedFile(), photos, out)) {
            ROWS.add(compare(python, decoder.decode(Files.readAllBytes(python.image()))));
        }
        printTable();
    }

    @AfterAll
    static void closeEncoder() {
        if (encoder != null) {
            encoder.close();
        }
    }

    @Test
    void preprocessingOfPilPixelsMatchesTorchvisionInEveryMode() {
        for (Row row : ROWS) {
            assertThat(Arrays.stream(row.prepDiff()).max().orElseThrow()).as("%s tensor max |diff|", row.name())
                    .isLessThanOrEqualTo(TENSOR_TOLERANCE);
        }
    }

    /**
     * PNG through the JDK's reader and JPEG through libjpeg-turbo (PIL's own decoder; the JDK's libjpeg 6b reader where
     * libturbojpeg0 is absent, same islow IDCT and fancy upsampling) give PIL's exact pixels.
     */
    @Test
    void pngAndJpegPhotosDecodeToExactlyPilsPixels() {
        List<Row> exact = ROWS.stream().filter(row -> !row.format().equals("webp")).toList();

        assertThat(exact).extracting(Row::format).contains("png", "jpeg");
        for (Row row : exact) {
            assertThat(row.decodeMaxDiff()).as("%s pixel max |diff|", row.name()).isZero();
            assertThat(Arrays.stream(row.fullDiff()).max().orElseThrow()).as("%s decoded tensor max |diff|", row.name())
                    .isLessThanOrEqualTo(TENSOR_TOLERANCE);
            assertThat(Arrays.stream(row.cosine()).min().orElseThrow()).as("%s embedding cosine", row.name())
                    .isGreaterThanOrEqualTo(MIN_COSINE);
        }
    }

    /**
     * Lossy WebP goes through TwelveMonkeys' VP8 decoder, not libwebp: pixels differ by about 1.5 levels on average
     * (chroma upsampling), which costs the embedding a little; measured cosines are 0.9997 to 0.99999.
     */
    @Test
    void lossyWebpEmbeddingsStayCloseToPythons() {
        List<Row> webp = ROWS.stream().filter(row -> row.format().equals("webp")).toList();

        assertThat(webp).isNotEmpty();
        for (Row row : webp) {
            assertThat(row.decodeMeanDiff()).as("%s pixel mean |diff|", row.name()).isLessThan(2.5);
            assertThat(Arrays.stream(row.cosine()).min().orElseThrow()).as("%s embedding cosine", row.name())
                    .isGreaterThanOrEqualTo(MIN_LOSSY_WEBP_COSINE);
        }
    }

    private static Row compare(PythonReference.Result python, DecodedImage decoded) {
        BufferedImage javaPixels = decoded.rgb();
        BufferedImage pil = python.pilPixels();
        int[] a = RgbImages.pixels(javaPixels);
        int[] b = RgbImages.pixels(pil);
        int max = 0;
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int diff = Math.abs((a[i] >>> shift & 0xFF) - (b[i] >>> shift & 0xFF));
                max = Math.max(max, diff);
                sum += diff;
            }
        }
        PreprocessMode[] modes = PreprocessMode.values();
        double[] prep = new double[modes.length];
        double[] full = new double[modes.length];
        double[] cosine = new double[modes.length];
        for (int m = 0; m < modes.length; m++) {
            Preprocessor preprocessor = new Preprocessor(modes[m], 224, encoder.manifest().mean(),
                    encoder.manifest().std());
            float[] expected = python.tensor(modes[m]);
            prep[m] = maxAbsDiff(preprocessor.preprocess(pil), expected);
            float[] tensor = preprocessor.preprocess(javaPixels);
            full[m] = maxAbsDiff(tensor, expected);
            cosine[m] = Vectors.cosine(encoder.embed(tensor, 1)[0], python.embedding(modes[m]));
        }
        String name = python.image().getFileName().toString();
        return new Row(name, pil.getWidth() + "x" + pil.getHeight(), decoded.format(), max,
                (double) sum / (3.0 * a.length), prep, full, cosine);
    }

    private static void printTable() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%nJava vs PIL/torchvision 0.14/TorchScript (tiny-clip-vit); tensor diffs are max |diff|%n"
                        + "%-22s %-9s %8s %9s",
                "image", "size", "pix max", "pix mean"));
        for (PreprocessMode mode : PreprocessMode.values()) {
            table.append(String.format(Locale.ROOT, " | %-10s %-10s %-10s", mode + " prep", mode + " full",
                    mode + " cos"));
        }
        table.append(System.lineSeparator());
        for (Row r : ROWS) {
            table.append(String.format(Locale.ROOT, "%-22s %-9s %8d %9.5f", r.name(), r.size(), r.decodeMaxDiff(),
                    r.decodeMeanDiff()));
            for (int m = 0; m < r.cosine().length; m++) {
                table.append(String.format(Locale.ROOT, " | %-10.3g %-10.3g %-10.8f", r.prepDiff()[m], r.fullDiff()[m],
                        r.cosine()[m]));
            }
            table.append(System.lineSeparator());
        }
        System.out.println(table);
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        return TestImages.tensorDiffs(a, b).max().orElseThrow();
    }
}
