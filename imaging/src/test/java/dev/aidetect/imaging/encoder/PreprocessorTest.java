package dev.aidetect.imaging.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.aidetect.imaging.fixtures.TestImages;

class PreprocessorTest {

    private static final List<Float> MEAN = List.of(0.48145466f, 0.4578275f, 0.40821073f);
    private static final List<Float> STD = List.of(0.26862954f, 0.26130258f, 0.27577711f);
    private static final int PLANE = 224 * 224;

    private final Preprocessor clip = new Preprocessor(PreprocessMode.CLIP, 224, MEAN, STD);
    private final Preprocessor crop = new Preprocessor(PreprocessMode.CROP, 224, MEAN, STD);
    private final Preprocessor resize = new Preprocessor(PreprocessMode.RESIZE, 224, MEAN, STD);

    @Test
    void onlyClipPreprocessingLetsTheDecoderDraft() {
        assertThat(clip.draftSide()).isEqualTo(224);
        assertThat(crop.draftSide()).as("a crop needs the full-size pixels").isZero();
    }

    @Test
    void normalisesConstantColourToConstantPerChannel() {
        float[] out = clip.preprocess(TestImages.filled(300, 200, BufferedImage.TYPE_INT_RGB, 0x20C060));

        assertThat(out).hasSize(3 * PLANE);
        assertChannel(out, 0, normalised(0x20, 0));
        assertChannel(out, 1, normalised(0xC0, 1));
        assertChannel(out, 2, normalised(0x60, 2));
    }

    /** Reference values from torchvision 0.14 with Pillow: Resize(224, BICUBIC), CenterCrop(224), ToTensor, Normalize. */
    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
            "97, 61, CLIP, 0.003343905322253704, -0.7995694875717163, 0.23691882193088531, 1.2794721126556396, -0.41371479630470276",
            "601, 433, CLIP, -0.6681836247444153, 1.5799739360809326, 1.536178708076477, -0.05621930584311485, 0.5248096585273743",
            "300, 500, CLIP, -1.1645302772521973, -1.7046719789505005, -0.18643562495708466, 0.3790060579776764, 0.33994877338409424",
            "301, 250, CROP, -1.0769397020339966, -1.4856956005096436, -1.3543097972869873, -1.5269806385040283, -0.17197367548942566",
            "97, 61, CROP, -1.7922625541687012, -1.7922625541687012, -1.7922625541687012, -1.7520971298217773, -1.480219841003418"})
    void matchesTorchvisionAndPillowExactly(int width, int height, PreprocessMode mode, float at0, float at1000,
            float at50000, float at100000,
            float at150000) {
        Preprocessor preprocessor = mode == PreprocessMode.CLIP ? clip : crop;

        float[] out = preprocessor.preprocess(TestImages.pattern(width, height));

        assertThat(new float[]{out[0], out[1000], out[50000], out[100000], out[150000]}).containsExactly(at0, at1000,
                at50000, at100000, at150000);
    }

    @Test
    void cropModeTakesCentreWindowWithoutResizing() {
        BufferedImage image = TestImages.filled(300, 300, BufferedImage.TYPE_INT_RGB, 0x000000);
        image.setRGB(38, 38, 0xFFFFFF); // round((300 - 224) / 2) = 38
        image.setRGB(38 + 223, 38 + 223, 0xFFFFFF);

        float[] out = crop.preprocess(image);

        assertThat(out[0]).isEqualTo(normalised(255, 0));
        assertThat(out[PLANE - 1]).isEqualTo(normalised(255, 0));
        assertThat(out[1]).isEqualTo(normalised(0, 0));
    }

    /** SigLIP's resize: the whole image, both sides to the input size; CLIP's resize of the short side crops the sides. */
    @Test
    void resizeModeKeepsTheWholeImageWhereClipCropsIt() {
        BufferedImage image = TestImages.filled(600, 200, BufferedImage.TYPE_INT_RGB, 0x000000);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 20; x++) {
                image.setRGB(x, y, 0xFFFFFF);
                image.setRGB(599 - x, y, 0xFFFFFF);
            }
        }

        float[] squashed = resize.preprocess(image);
        float[] cropped = clip.preprocess(image);

        assertThat(resize.draftSide()).isEqualTo(224);
        for (int y : new int[]{0, 111, 223}) {
            assertThat(squashed[y * 224]).as("left edge, row %d", y).isEqualTo(normalised(255, 0));
            assertThat(squashed[y * 224 + 223]).as("right edge, row %d", y).isEqualTo(normalised(255, 0));
            assertThat(squashed[y * 224 + 111]).as("middle, row %d", y).isEqualTo(normalised(0, 0));
            assertThat(cropped[y * 224]).as("CLIP's crop starts inside the black").isEqualTo(normalised(0, 0));
        }
    }

    @Test
    void cropModePadsSmallImagesWithBlackAroundTheCentre() {
        float[] out = crop.preprocess(TestImages.filled(32, 32, BufferedImage.TYPE_INT_RGB, 0xFFFFFF));

        int first = (224 - 32) / 2;
        assertThat(out[first * 224 + first]).isEqualTo(normalised(255, 0));
        assertThat(out[(first + 31) * 224 + first + 31]).isEqualTo(normalised(255, 0));
        assertThat(out[(first - 1) * 224 + first]).isEqualTo(normalised(0, 0));
        assertThat(out[first * 224 + first + 32]).isEqualTo(normalised(0, 0));
    }

    @Test
    void writesAtOffsetAndLeavesTheRestOfTheBatchBuffer() {
        float[] batch = new float[3 * clip.floatsPerImage()];
        Arrays.fill(batch, 42f);

        clip.preprocess(TestImages.filled(50, 50, BufferedImage.TYPE_INT_RGB, 0x000000), batch, clip.floatsPerImage());

        assertThat(batch[clip.floatsPerImage() - 1]).isEqualTo(42f);
        assertThat(batch[clip.floatsPerImage()]).isEqualTo(normalised(0, 0));
        assertThat(batch[2 * clip.floatsPerImage() - 1]).isEqualTo(normalised(0, 2));
        assertThat(batch[2 * clip.floatsPerImage()]).isEqualTo(42f);
    }

    @Test
    void acceptsImagesThatAreNotPackedRgb() {
        BufferedImage bgr = TestImages.filled(40, 40, BufferedImage.TYPE_3BYTE_BGR, 0x112233);

        float[] out = clip.preprocess(bgr);

        assertThat(out[0]).isCloseTo(normalised(0x11, 0), within(0f));
        assertThat(out[2 * PLANE]).isEqualTo(normalised(0x33, 2));
    }

    private static float normalised(int level, int channel) {
        return (level / 255f - MEAN.get(channel)) / STD.get(channel);
    }

    private static void assertChannel(float[] out, int channel, float expected) {
        float[] plane = Arrays.copyOfRange(out, channel * PLANE, (channel + 1) * PLANE);
        float[] constant = new float[PLANE];
        Arrays.fill(constant, expected);
        assertThat(plane).containsExactly(constant);
    }
}
