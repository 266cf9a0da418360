package dev.aidetect.heads.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Test-time views are the served centre crop when they neither move nor mirror, whatever the image's size. */
class PixelCropsTest {
    @ParameterizedTest(name = "{0}x{1} image, crop {2}")
    @CsvSource({"32, 32, 28", "32, 32, 32", "97, 64, 28", "20, 25, 28", "640, 480, 64"})
    void theUnmovedViewIsTheCentreCrop(int width, int height, int crop) {
        BufferedImage image = noise(width, height);

        for (PixelInput input : PixelInput.values()) {
            assertThat(PixelCrops.view(image, crop, input, 0, 0, false)).as(input.label())
                    .containsExactly(PixelCrops.centre(image, crop, input));
        }
    }

    @ParameterizedTest(name = "{0}x{1} image, crop {2}")
    @CsvSource({"32, 32, 28", "97, 64, 28", "640, 480, 64"})
    void aMirroredViewIsTheCentreCropMirrored(int width, int height, int crop) {
        BufferedImage image = noise(width, height);

        float[] plain = PixelCrops.view(image, crop, PixelInput.RGB, 0, 0, false);
        float[] mirrored = PixelCrops.view(image, crop, PixelInput.RGB, 0, 0, true);

        int plane = crop * crop;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < crop; y++) {
                for (int x = 0; x < crop; x++) {
                    assertThat(mirrored[c * plane + y * crop + x]).isEqualTo(plain[c * plane + y * crop + crop - 1
                            - x]);
                }
            }
        }
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }
}
