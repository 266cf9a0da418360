package dev.aidetect.imaging.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.imaging.fixtures.TestImages;
import dev.aidetect.imaging.fixtures.Vectors;

/** Encoders run side by side: one preprocessed image, each model fed its own normalisation, vectors concatenated. */
class CombinedEncoderTest {

    private final EncoderLoader loader = EncoderLoader.defaults();

    @Test
    void concatenatesVectorsOfEncodersWithDifferentNormalisation(@TempDir Path dir) throws Exception {
        Path tiny = TestImages.tinyEncoderManifest();
        Path imagenet = variant(tiny, dir, "\"id\": \"tiny-imagenet\"",
                "\"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225],");
        BufferedImage image = TestImages.pattern(300, 200);

        try (ImageEncoder combined = loader.load(List.of(tiny.toString(), imagenet.toString()));
                ImageEncoder alone = loader.load(imagenet.toString())) {
            float[] vector = combined.embed(combined.preprocessor().preprocess(image), 1)[0];
            float[] clipPart = Arrays.copyOfRange(vector, 0, 64);
            float[] imagenetPart = Arrays.copyOfRange(vector, 64, 128);

            assertThat(combined.id()).isEqualTo("tiny-clip-vit+tiny-imagenet");
            assertThat(combined.version()).isEqualTo("1+1");
            assertThat(combined.embeddingSize()).isEqualTo(128);
            try (ImageEncoder clip = loader.load(tiny.toString())) {
                assertThat(clipPart).containsExactly(clip.embed(clip.preprocessor().preprocess(image), 1)[0]);
            }
            float[] ownPreprocessing = alone.embed(alone.preprocessor().preprocess(image), 1)[0];
            assertThat(Vectors.cosine(imagenetPart, ownPreprocessing)).isGreaterThan(0.99999);
        }
    }

    @Test
    void renormalisesTheSharedTensorToEachModelsMeanAndStd(@TempDir Path dir) throws Exception {
        EncoderManifest clip = EncoderManifest.read(TestImages.tinyEncoderManifest());
        EncoderManifest imagenet = EncoderManifest.read(variant(TestImages.tinyEncoderManifest(), dir,
                "\"id\": \"tiny-imagenet\"", "\"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225],"));
        BufferedImage image = TestImages.pattern(256, 230);
        float[] shared = Preprocessor.of(clip).preprocess(image);

        float[] renormalised = new EncoderPart(new EncoderModel(imagenet, null, EncoderPrecision.FLOAT32), clip).input(
                shared, 1,
                shared.length);

        float[] expected = Preprocessor.of(imagenet).preprocess(image);
        float maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(renormalised[i] - expected[i]));
        }
        assertThat(maxDiff).isLessThan(1e-5f);
        assertThat(new EncoderPart(new EncoderModel(clip, null, EncoderPrecision.FLOAT32), clip).input(shared, 1,
                shared.length))
                .as("no copy when the normalisation agrees").isSameAs(shared);
    }

    @Test
    void refusesToCombineEncodersWithDifferentPreprocessing(@TempDir Path dir) throws Exception {
        Path tiny = TestImages.tinyEncoderManifest();
        Path crop = variant(tiny, dir, "\"id\": \"tiny-crop\"", "\"preprocess\": \"crop\",");

        assertThatThrownBy(() -> loader.load(List.of(tiny.toString(), crop.toString())))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining(
                        "encoders tiny-clip-vit (clip, 224 px) and tiny-crop (crop, 224 px) cannot share");
    }

    /** A copy of the tiny encoder whose manifest has another id and the given fields replaced. */
    private static Path variant(Path tiny, Path dir, String id, String fields) throws Exception {
        Files.copy(tiny.resolveSibling("encoder.pt"), dir.resolve("encoder.pt"));
        String json = Files.readString(tiny).replace("\"id\": \"tiny-clip-vit\"", id);
        if (fields.startsWith("\"mean\"")) {
            json = json.replaceAll("(?s)\"mean\": \\[.*?\\],\\s*\"std\": \\[.*?\\],", fields);
        } else {
            json = json.replaceAll("\"preprocess\": \"clip\",", fields);
        }
        return Files.writeString(dir.resolve("manifest.json"), json);
    }
}
