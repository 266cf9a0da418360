package dev.aidetect.imaging.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The resampler's strip-wise, vectorisable passes against Pillow's {@code ImagingResample} written the plain way: one
 * output pixel at a time, each a weighted sum over its taps (PIL parity itself is {@code PreprocessorTest}'s).
 */
class BicubicResamplerTest {

    @ParameterizedTest(name = "{0}x{1} to {2}x{3}, window {6} at {4},{5}")
    @CsvSource({
            "4000, 3000, 299, 224, 37, 0, 224", // a 12 MP photo: the strips' whole reason
            "3000, 4000, 224, 299, 0, 37, 224", // portrait
            "32, 32, 224, 224, 0, 0, 224", // CIFAKE, upsampled
            "1, 1, 5, 5, 0, 0, 5",
            "257, 129, 300, 150, 11, 3, 129", // a last strip of one row, windows off the origin
            "1000, 7, 40, 3, 0, 0, 3",
            "130, 700, 64, 250, 0, 90, 64"})
    void everyPixelIsThePlainResizes(int inWidth, int inHeight, int outWidth, int outHeight, int left, int top,
            int size) {
        Random random = new Random(inWidth * 31L + inHeight);
        int[] in = new int[inWidth * inHeight];
        for (int i = 0; i < in.length; i++) {
            // Half the pixels at the extremes, so the clipping to 0 and 255 after overshoot is exercised too.
            in[i] = random.nextBoolean() ? random.nextInt() & 0xFFFFFF : (random.nextBoolean() ? 0xFFFFFF : 0);
        }

        int[] fast = BicubicResampler.resizeWindow(in, inWidth, inHeight, outWidth, outHeight, left, top, size);

        assertThat(fast).isEqualTo(plainResize(in, inWidth, inHeight, outWidth, outHeight, left, top, size));
    }

    /** Pillow's two passes, a pixel at a time, with the same fixed-point weights. */
    private static int[] plainResize(int[] in, int inWidth, int inHeight, int outWidth, int outHeight, int left,
            int top, int size) {
        int[][] horizontal = taps(inWidth, outWidth, left, size);
        int[][] vertical = taps(inHeight, outHeight, top, size);
        int[] temp = new int[inHeight * size];
        for (int y = 0; y < inHeight; y++) {
            for (int x = 0; x < size; x++) {
                temp[y * size + x] = sum(horizontal[x], in, y * inWidth + horizontal[x][0], 1);
            }
        }
        int[] out = new int[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                out[y * size + x] = sum(vertical[y], temp, vertical[y][0] * size + x, size);
            }
        }
        return out;
    }

    /** Per output position: the first input index, then the fixed-point weights (22 bits). */
    private static int[][] taps(int inSize, int outSize, int first, int n) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 2.0 * filterScale;
        int[][] taps = new int[n][];
        for (int i = 0; i < n; i++) {
            double centre = (first + i + 0.5) * scale;
            int lo = Math.max((int) (centre - support + 0.5), 0);
            int hi = Math.min((int) (centre + support + 0.5), inSize);
            double[] w = new double[hi - lo];
            double total = 0;
            for (int k = 0; k < w.length; k++) {
                double t = Math.abs((k + lo - centre + 0.5) / filterScale);
                w[k] = t < 1 ? (1.5 * t - 2.5) * t * t + 1 : t < 2 ? (((t - 5) * t + 8) * t - 4) * -0.5 : 0;
                total += w[k];
            }
            taps[i] = new int[w.length + 1];
            taps[i][0] = lo;
            for (int k = 0; k < w.length; k++) {
                double normalised = total == 0 ? w[k] : w[k] / total;
                taps[i][k + 1] = (int) (normalised < 0 ? -0.5 + normalised * (1 << 22) : 0.5 + normalised * (1 << 22));
            }
        }
        return taps;
    }

    private static int sum(int[] taps, int[] data, int start, int stride) {
        int r = 1 << 21;
        int g = r;
        int b = r;
        for (int k = 1; k < taps.length; k++) {
            int p = data[start + (k - 1) * stride];
            r += (p >>> 16 & 0xFF) * taps[k];
            g += (p >>> 8 & 0xFF) * taps[k];
            b += (p & 0xFF) * taps[k];
        }
        return clip(r) << 16 | clip(g) << 8 | clip(b);
    }

    private static int clip(int value) {
        return value >= 1 << 30 ? 255 : value <= 0 ? 0 : value >> 22;
    }
}
