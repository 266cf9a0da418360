package dev.aidetect.tools.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in sources of {@code aidetect samples}: reproducible per seed, each labelled by its folder, and each
 * generator's pixels carrying the fingerprint its Javadoc promises, so there is something real to learn.
 */
class SyntheticGeneratorTest {
    private static final int SIZE = 64;

    @Test
    void sameSeedRendersTheSameImageAndAnotherSeedAnotherOne() {
        for (SyntheticGenerator generator : SyntheticGenerator.values()) {
            float[][][] first = generator.render(new SplittableRandom(11), SIZE);
            float[][][] again = generator.render(new SplittableRandom(11), SIZE);
            float[][][] other = generator.render(new SplittableRandom(12), SIZE);

            assertThat(again).as(generator.name()).isDeepEqualTo(first);
            assertThat(java.util.Arrays.deepEquals(other, first)).as(generator.name()).isFalse();
        }
    }

    @Test
    void everySourceRendersASquareRgbImageOfTheSizeAsked() {
        for (SyntheticGenerator generator : SyntheticGenerator.values()) {
            float[][][] px = generator.render(new SplittableRandom(1), 32);

            assertThat(px).as(generator.name()).hasDimensions(32, 32);
            assertThat(px[31][31]).hasSize(3);
        }
    }

    @Test
    void foldersAreTheLabelLayoutAndOnlyRealHasNoFamily() {
        assertThat(SyntheticGenerator.REAL.folder()).isEqualTo("real");
        assertThat(SyntheticGenerator.REAL.extension()).isEqualTo("jpg");
        assertThat(SyntheticGenerator.UPCONV_GAN.folder()).isEqualTo("fake/gan/upconv-gan");
        assertThat(SyntheticGenerator.PIXELSHUFFLE_GAN.folder()).isEqualTo("fake/gan/pixelshuffle-gan");
        assertThat(SyntheticGenerator.LATENT_DIFFUSION.folder()).isEqualTo("fake/diffusion/latent-diffusion");
        assertThat(SyntheticGenerator.CASCADE_DIFFUSION.folder()).isEqualTo("fake/diffusion/cascade-diffusion");
        for (SyntheticGenerator generator : SyntheticGenerator.values()) {
            if (generator != SyntheticGenerator.REAL) {
                assertThat(generator.family()).isIn("gan", "diffusion");
                assertThat(generator.extension()).as("a generated image is lossless").isEqualTo("png");
            }
        }
    }

    @Test
    void everyGeneratorsImageDiffersFromTheRealImageOfTheSameScene() {
        float[][][] real = SyntheticGenerator.REAL.render(new SplittableRandom(5), SIZE);
        for (SyntheticGenerator generator : SyntheticGenerator.values()) {
            if (generator != SyntheticGenerator.REAL) {
                assertThat(java.util.Arrays.deepEquals(generator.render(new SplittableRandom(5), SIZE), real))
                        .as(generator.name()).isFalse();
            }
        }
    }

    @Test
    void latentDiffusionAddsTheSameEightByEightPatternToEveryScene() {
        float[][][] firstScene = SceneRenderer.render(new SplittableRandom(1), SIZE);
        float[][][] firstImage = SyntheticGenerator.LATENT_DIFFUSION.render(new SplittableRandom(1), SIZE);
        for (long seed : new long[]{2, 3}) {
            float[][][] scene = SceneRenderer.render(new SplittableRandom(seed), SIZE);
            float[][][] image = SyntheticGenerator.LATENT_DIFFUSION.render(new SplittableRandom(seed), SIZE);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    float pattern = image[y][x][0] - scene[y][x][0];
                    assertThat(pattern).as("period 8 at (%d, %d)", x, y)
                            .isCloseTo(image[y % 8][x % 8][0] - scene[y % 8][x % 8][0], within(1e-3f));
                    assertThat(pattern).as("same as in the first image at (%d, %d)", x, y)
                            .isCloseTo(firstImage[y][x][0] - firstScene[y][x][0], within(1e-3f));
                }
            }
        }
    }

    @Test
    void upconvGanRepeatsEachLowResolutionPixelInAFourByFourBlockUnderACheckerboard() {
        float[][][] px = SyntheticGenerator.UPCONV_GAN.render(new SplittableRandom(9), SIZE);

        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int bx = x - x % 4;
                int by = y - y % 4;
                float sign = ((x % 4 < 2) ^ (y % 4 < 2)) ? 1 : -1;
                float blockSign = ((bx % 4 < 2) ^ (by % 4 < 2)) ? 1 : -1;
                assertThat(px[y][x][1] - sign * 10).as("(%d, %d)", x, y)
                        .isCloseTo(px[by][bx][1] - blockSign * 10, within(1e-3f));
            }
        }
    }

    @Test
    void theRealCameraLeavesNoRepeatingPatternOverTheScene() {
        float[][][] scene = SceneRenderer.render(new SplittableRandom(4), SIZE);
        float[][][] photo = SyntheticGenerator.REAL.render(new SplittableRandom(4), SIZE);

        int differentFromEightPixelsAway = 0;
        for (int y = 0; y < SIZE - 8; y++) {
            for (int x = 0; x < SIZE; x++) {
                float here = photo[y][x][0] - scene[y][x][0];
                float below = photo[y + 8][x][0] - scene[y + 8][x][0];
                differentFromEightPixelsAway += Math.abs(here - below) > 0.5 ? 1 : 0;
            }
        }

        assertThat(differentFromEightPixelsAway).isGreaterThan((SIZE - 8) * SIZE / 2);
    }

    @Test
    void theSampleSetRefusesASizeThatIsNotAMultipleOfEight(@TempDir Path dir) {
        assertThatThrownBy(() -> SampleSetWriter.write(dir, List.of(SyntheticGenerator.REAL), 1, 60, 1, false, n -> {
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("image size must be a multiple of 8, got 60");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void progressCountsEveryImageWrittenButNotTheBrokenFiles(@TempDir Path dir) {
        List<Integer> progress = new java.util.ArrayList<>();

        var summary = SampleSetWriter.write(dir, List.of(SyntheticGenerator.REAL, SyntheticGenerator.UPCONV_GAN), 2,
                32, 1, true, progress::add);

        assertThat(progress).containsExactly(1, 2, 3, 4);
        assertThat(summary.total()).isEqualTo(4 + BrokenSample.values().length);
    }
}
