package dev.aidetect.imaging.encoder;

import static dev.aidetect.testing.Prerequisites.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.fixtures.TestImages;
import dev.aidetect.imaging.fixtures.Vectors;

class ImageEncoderTest {

    private static ImageEncoder encoder;
    private static Preprocessor preprocessor;

    @BeforeAll
    static void loadTinyEncoder() throws Exception {
        encoder = ImageEncoder.load(TestImages.tinyEncoderManifest());
        preprocessor = encoder.preprocessor();
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    @Test
    void embedsOneImageIntoEmbeddingSizeFiniteValues() {
        float[] input = preprocessor.preprocess(TestImages.pattern(64, 48));

        float[][] vectors = encoder.embed(input, 1);

        assertThat(encoder.id()).isEqualTo("tiny-clip-vit");
        assertThat(vectors).hasDimensions(1, 64);
        for (float value : vectors[0]) {
            assertThat(value).isFinite();
        }
    }

    @Test
    void batchOfFiveMatchesFiveSingleImages() {
        float[] batch = new float[5 * preprocessor.floatsPerImage()];
        for (int i = 0; i < 5; i++) {
            preprocessor.preprocess(TestImages.pattern(100 + 30 * i, 80 + 7 * i), batch,
                    i * preprocessor.floatsPerImage());
        }

        float[][] batched = encoder.embed(batch, 5);

        for (int i = 0; i < 5; i++) {
            float[] single = new float[preprocessor.floatsPerImage()];
            System.arraycopy(batch, i * single.length, single, 0, single.length);
            assertThat(Vectors.cosine(batched[i], encoder.embed(single, 1)[0])).as("image %d", i).isGreaterThan(0.9999);
        }
        assertThat(Vectors.cosine(batched[0], batched[4])).as("different images give different vectors")
                .isLessThan(0.9999);
    }

    @Test
    void refusesToLoadTamperedModel(@TempDir Path dir) throws Exception {
        Path source = TestImages.tinyEncoderManifest();
        Path manifest = Files.copy(source, dir.resolve("manifest.json"));
        byte[] model = Files.readAllBytes(source.resolveSibling("encoder.pt"));
        model[100] ^= 1;
        Files.write(dir.resolve("encoder.pt"), model);

        assertThatThrownBy(() -> ImageEncoder.load(manifest)).isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("sha256");
    }

    @Test
    void embedsRealJpegsFromCifakeWhenPresent() throws Exception {
        String cifake = "../shared/data/cifake-dev";
        Path data = TestImages.projectRoot().resolve(cifake).normalize();
        require(Files.isDirectory(data), cifake, "place the shared data set beside the project");
        List<Path> jpegs;
        try (Stream<Path> files = Stream.of("real", "fake").flatMap(label -> list(data.resolve(label)).limit(3))) {
            jpegs = files.toList();
        }
        require(!jpegs.isEmpty(), "a JPEG under " + cifake + "/real or /fake",
                "place the shared data set beside the project");
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        float[] batch = new float[jpegs.size() * preprocessor.floatsPerImage()];

        for (int i = 0; i < jpegs.size(); i++) {
            DecodedImage image = decoder.decode(Files.readAllBytes(jpegs.get(i)));
            assertThat(image.format()).isEqualTo("jpeg");
            preprocessor.preprocess(image.rgb(), batch, i * preprocessor.floatsPerImage());
        }
        float[][] vectors = encoder.embed(batch, jpegs.size());

        assertThat(vectors).hasNumberOfRows(jpegs.size());
        assertThat(vectors[0]).hasSize(64);
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }
}
