package dev.aidetect.imaging.encoder;

import static dev.aidetect.testing.Prerequisites.requireDebianTorch;
import static dev.aidetect.testing.Prerequisites.requireSkimagePhotos;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.aidetect.imaging.fixtures.PythonReference;
import dev.aidetect.imaging.fixtures.TestImages;
import dev.aidetect.imaging.fixtures.Vectors;

/**
 * Every preset of {@code deploy/models/export_clip.py} (named by its directory), written as a random-weight stand-in of its input
 * contract ({@code --stand-in}: the preset's input size, patch, mean/std, preprocessing and embedding size; no weights
 * can be downloaded here), loads in the embedder's code with the preset's contract, and the Java preprocessing its
 * manifest selects gives the preset's reference tensor (torchvision on PIL, as the model's own code feeds it) on real
 * photos of other aspect ratios than 1, and so the reference embedding. For the fused CLIP + DINOv2 preset the
 * reference embedding is each part's on its own preprocessing, concatenated: the fused module's renormalisation of
 * CLIP's tensor for DINOv2 is checked too. PNG photos only, so decoding is exactly PIL's (ReferenceParityTest).
 */
class EncoderPresetsTest {

    private static final Path SKIMAGE = Path.of("/usr/lib/python3/dist-packages/skimage/data");
    private static final List<Path> PHOTOS = List.of(SKIMAGE.resolve("coffee.png"), SKIMAGE.resolve("chelsea.png"),
            SKIMAGE.resolve("motorcycle_left.png"));
    private static final double TENSOR_TOLERANCE = 1e-5;
    private static final double MIN_COSINE = 0.9999;
    private static final List<Float> CLIP = List.of(0.48145466f, 0.4578275f, 0.40821073f, 0.26862954f, 0.26130258f,
            0.27577711f);
    private static final List<Float> IMAGENET = List.of(0.485f, 0.456f, 0.406f, 0.229f, 0.224f, 0.225f);
    private static final List<Float> SIGLIP = List.of(0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f);

    @TempDir
    static Path dir;

    @BeforeAll
    static void exportEveryPresetAsAStandIn() throws Exception {
        requireDebianTorch(PythonReference.available());
        requireSkimagePhotos(PHOTOS.stream().allMatch(Files::isRegularFile));
        PythonReference.exportStandIns(dir, PHOTOS);
    }

    /** A preset added to the script without a row below fails here. */
    @Test
    void everyPresetTheScriptWritesIsCheckedBelow() throws Exception {
        try (Stream<Path> written = Files.list(dir)) {
            assertThat(written.map(path -> path.getFileName().toString()).filter(name -> !name.equals("reference")))
                    .containsExactlyInAnyOrder("clip-vit-l-14", "clip-vit-b-16", "clip-vit-b-32", "dino-vit-b-16",
                            "dinov2-vit-b-14", "dinov2-vit-l-14", "siglip2-base-patch16-224", "clip-dinov2-fused");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "clip-vit-l-14, openai-clip-vit-l-14, CLIP, clip, 768",
            "clip-vit-b-16, openai-clip-vit-b-16, CLIP, clip, 512",
            "clip-vit-b-32, openai-clip-vit-b-32, CLIP, clip, 512",
            "dino-vit-b-16, dino-vit-b-16, CLIP, imagenet, 768",
            "dinov2-vit-b-14, dinov2-vit-b-14, CLIP, imagenet, 768",
            "dinov2-vit-l-14, dinov2-vit-l-14, CLIP, imagenet, 1024",
            "siglip2-base-patch16-224, google-siglip2-base-patch16-224, RESIZE, siglip, 768",
            "clip-dinov2-fused, openai-clip-vit-l-14+dinov2-vit-l-14, CLIP, clip, 1792"})
    void presetLoadsInTheEmbedderAndPreprocessesAsItsReference(String model, String id, PreprocessMode preprocess,
            String normalisation, int dims) throws Exception {
        List<PythonReference.PresetReference> references = PythonReference.presetReferences(dir, model);

        try (ImageEncoder encoder = ImageEncoder.load(dir.resolve(model).resolve("manifest.json"))) {
            EncoderManifest manifest = encoder.manifest();
            List<Float> meanStd = switch (normalisation) {
                case "clip" -> CLIP;
                case "imagenet" -> IMAGENET;
                default -> SIGLIP;
            };
            assertThat(manifest.id()).isEqualTo("stand-in-" + id);
            assertThat(manifest.inputSize()).isEqualTo(224);
            assertThat(manifest.preprocess()).isEqualTo(preprocess);
            assertThat(manifest.mean()).isEqualTo(meanStd.subList(0, 3));
            assertThat(manifest.std()).isEqualTo(meanStd.subList(3, 6));
            assertThat(manifest.embeddingSize()).isEqualTo(dims);
            assertThat(encoder.embeddingSize()).isEqualTo(dims);

            for (PythonReference.PresetReference reference : references) {
                BufferedImage photo = ImageIO.read(reference.image().toFile());
                float[] tensor = encoder.preprocessor().preprocess(photo);
                double diff = TestImages.tensorDiffs(tensor, reference.tensor()).max().orElseThrow();
                double cosine = Vectors.cosine(encoder.embed(tensor, 1)[0], reference.embedding());
                System.out.printf(Locale.ROOT, "%s %s %dx%d: tensor max |diff| %.3g, embedding cosine %.8f%n", model,
                        reference.image().getFileName(), photo.getWidth(), photo.getHeight(), diff, cosine);
                assertThat(diff).as("%s tensor max |diff| on %s", model, reference.image())
                        .isLessThanOrEqualTo(TENSOR_TOLERANCE);
                assertThat(cosine).as("%s embedding cosine on %s", model, reference.image())
                        .isGreaterThanOrEqualTo(MIN_COSINE);
            }
        }
    }
}
