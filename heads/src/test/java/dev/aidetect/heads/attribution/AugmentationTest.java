package dev.aidetect.heads.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.aidetect.heads.fixtures.SyntheticGenerators;

class AugmentationTest {
    private static final BufferedImage BLOCKY = SyntheticGenerators.images(1, 64, 7)
            .get(SyntheticGenerators.BLOCKY).getFirst();

    @Test
    void jpegReencodingChangesPixelsSlightly() {
        BufferedImage jpeg = Augmentation.jpeg(BLOCKY, 70);

        assertThat(meanAbsoluteDifference(BLOCKY, jpeg)).isBetween(0.5, 20.0);
    }

    @Test
    void blurWeakensTheNoiseResidual() {
        float[] sharp = PixelCrops.centre(BLOCKY, 64, PixelInput.RESIDUAL);
        float[] blurred = PixelCrops.centre(Augmentation.blur(BLOCKY, 1.0), 64, PixelInput.RESIDUAL);

        assertThat(energy(blurred)).isLessThan(energy(sharp) * 0.7);
    }

    @Test
    void augmentsAboutHalfOfTheCropsAndNeverTheSource() {
        int[] before = BLOCKY.getRGB(0, 0, 64, 64, null, 0, 64);
        Random random = new Random(1);

        long changed = java.util.stream.IntStream.range(0, 200)
                .filter(i -> Augmentation.BLUR.maybeApply(BLOCKY, random) != BLOCKY).count();

        assertThat(changed).isBetween(70L, 130L);
        assertThat(BLOCKY.getRGB(0, 0, 64, 64, null, 0, 64)).isEqualTo(before);
    }

    @Test
    void randomCropsWithAugmentationsDifferFromPlainOnesWithTheSameSeed() {
        float[] plain = PixelCrops.random(BLOCKY, 32, PixelInput.RESIDUAL, new Random(3), Set.of());
        boolean anyDiffers = false;
        for (int seed = 0; seed < 4; seed++) {
            float[] a = PixelCrops.random(BLOCKY, 32, PixelInput.RESIDUAL, new Random(seed), Set.of());
            float[] b = PixelCrops.random(BLOCKY, 32, PixelInput.RESIDUAL, new Random(seed),
                    Set.of(Augmentation.JPEG, Augmentation.BLUR));
            anyDiffers |= !java.util.Arrays.equals(a, b);
        }

        assertThat(plain).hasSize(3 * 32 * 32);
        assertThat(anyDiffers).isTrue();
    }

    @Test
    void parsesCommandLineNamesAndSaysWhichExist() {
        assertThat(List.of("jpeg", " Blur").stream().map(Augmentation::parse))
                .containsExactly(Augmentation.JPEG, Augmentation.BLUR);
        assertThatThrownBy(() -> Augmentation.parse("noise")).hasMessageContaining("use jpeg or blur");
    }

    private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((a.getRGB(x, y) >> shift & 0xFF) - (b.getRGB(x, y) >> shift & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static double energy(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v * v;
        }
        return sum;
    }
}
