package dev.aidetect.tools.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

/**
 * The upsamplers of the held-out-generator experiment on planes that are not square, where a swapped width and
 * height would show; the square photos of {@link UpsamplingPipelineTest} cannot.
 */
class ResamplerTest {
    private static final DoubleUnaryOperator TENT = x -> Math.max(0, 1 - Math.abs(x));

    @Test
    void separableInterpolationEnlargesEachSideByTheFactor() {
        float[][] out = Resampler.separable(plane(3, 5, (y, x) -> x), 4, TENT, 1);

        assertThat(out).hasDimensions(12, 20);
    }

    @Test
    void bilinearInterpolationOfARampAlongXIsARampAlongXOnly() {
        float[][] out = Resampler.separable(plane(3, 5, (y, x) -> 10 * x), 2, TENT, 1);

        for (int y = 0; y < 6; y++) {
            // inside the plane's outer half pixels, linear interpolation of a linear ramp is exact
            for (int x = 1; x < 9; x++) {
                assertThat(out[y][x]).as("(%d, %d)", x, y).isCloseTo(10 * ((x + 0.5f) / 2 - 0.5f), within(1e-4f));
            }
            assertThat(out[y][0]).as("the edge repeats").isCloseTo(0, within(1e-4f));
        }
    }

    @Test
    void bilinearInterpolationOfARampAlongYIsARampAlongYOnly() {
        float[][] out = Resampler.separable(plane(5, 3, (y, x) -> 10 * y), 2, TENT, 1);

        for (int y = 1; y < 9; y++) {
            for (int x = 0; x < 6; x++) {
                assertThat(out[y][x]).as("(%d, %d)", x, y).isCloseTo(10 * ((y + 0.5f) / 2 - 0.5f), within(1e-4f));
            }
        }
    }

    @Test
    void transposedConvolutionKeepsAFlatPlaneFlatAndDependsOnlyOnItsSeed() {
        float[][] flat = plane(3, 5, (y, x) -> 77);
        float[][] ramp = plane(3, 5, (y, x) -> 7 * x + 3 * y);

        float[][] out = Resampler.transposedConvolution(flat, 4, new SplittableRandom(1));

        assertThat(out).hasDimensions(12, 20);
        for (float[] row : out) {
            for (float v : row) {
                assertThat(v).isCloseTo(77, within(1e-3f));
            }
        }
        float[][] seeded = Resampler.transposedConvolution(ramp, 4, new SplittableRandom(1));
        assertThat(Resampler.transposedConvolution(ramp, 4, new SplittableRandom(1))).isDeepEqualTo(seeded);
        assertThat(java.util.Arrays.deepEquals(Resampler.transposedConvolution(ramp, 4, new SplittableRandom(2)),
                seeded)).as("another seed, another upsampler").isFalse();
    }

    @Test
    void pixelShuffleKeepsEachChannelOfAFlatColourAndEnlargesByTheFactor() {
        float[][][] colour = {plane(3, 5, (y, x) -> 100), plane(3, 5, (y, x) -> 150), plane(3, 5, (y, x) -> 200)};

        for (int channel = 0; channel < 3; channel++) {
            float[][] out = Resampler.pixelShuffle(colour, channel, 4, new SplittableRandom(channel));

            assertThat(out).hasDimensions(12, 20);
            for (float[] row : out) {
                for (float v : row) {
                    assertThat(v).as("channel %d", channel).isCloseTo(100 + 50 * channel, within(1e-3f));
                }
            }
        }
    }

    @Test
    void pixelShuffleGivesEachSubPixelPositionItsOwnFilter() {
        float[][][] noise = {random(3, 5, 1), random(3, 5, 2), random(3, 5, 3)};

        float[][] out = Resampler.pixelShuffle(noise, 0, 2, new SplittableRandom(4));

        // without its own filter per position, the four outputs of one input pixel would be equal
        assertThat(out[2][2]).isNotEqualTo(out[2][3]);
        assertThat(out[2][2]).isNotEqualTo(out[3][2]);
    }

    private interface Value {
        float at(int y, int x);
    }

    private static float[][] plane(int height, int width, Value value) {
        float[][] plane = new float[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                plane[y][x] = value.at(y, x);
            }
        }
        return plane;
    }

    private static float[][] random(int height, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return plane(height, width, (y, x) -> (float) random.nextDouble(255));
    }
}
