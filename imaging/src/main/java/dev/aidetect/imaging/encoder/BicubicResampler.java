package dev.aidetect.imaging.encoder;

/**
 * Bicubic resize of packed RGB pixels following Pillow's {@code ImagingResample} (Resample.c): Keys cubic with
 * a = -0.5, support widened by the scale factor when shrinking (antialiasing), horizontal pass then vertical, 22-bit
 * fixed-point weights and 8-bit rounding between the passes. Only the window of the output that a crop keeps is
 * computed; each computed pixel is the one the full resize would produce.
 */
final class BicubicResampler {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private BicubicResampler() {
    }

    /**
     * Resizes {@code in} ({@code inWidth x inHeight}) to {@code outWidth x outHeight} and returns the
     * {@code size x size} window at ({@code left}, {@code top}) of the result, packed 0xRRGGBB.
     */
    static int[] resizeWindow(int[] in, int inWidth, int inHeight, int outWidth, int outHeight, int left, int top,
            int size) {
        Coefficients horizontal = Coefficients.of(inWidth, outWidth, left, size);
        Coefficients vertical = Coefficients.of(inHeight, outHeight, top, size);
        int firstRow = vertical.min[0];
        int rows = vertical.min[size - 1] + vertical.count[size - 1] - firstRow;
        int[] temp = new int[rows * size];
        for (int y = 0; y < rows; y++) {
            int rowStart = (firstRow + y) * inWidth;
            for (int x = 0; x < size; x++) {
                temp[y * size + x] = horizontal.apply(x, in, rowStart + horizontal.min[x], 1);
            }
        }
        int[] out = new int[size * size];
        for (int y = 0; y < size; y++) {
            int start = (vertical.min[y] - firstRow) * size;
            for (int x = 0; x < size; x++) {
                out[y * size + x] = vertical.apply(y, temp, start + x, size);
            }
        }
        return out;
    }

    /** Fixed-point filter weights for a window of output positions along one axis. */
    private record Coefficients(int[] min, int[] count, int[][] weights) {

        static Coefficients of(int inSize, int outSize, int first, int n) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            double inverseScale = 1.0 / filterScale;
            int[] min = new int[n];
            int[] count = new int[n];
            int[][] weights = new int[n][];
            for (int i = 0; i < n; i++) {
                double center = (first + i + 0.5) * scale;
                int lo = Math.max((int) (center - support + 0.5), 0);
                int hi = Math.min((int) (center + support + 0.5), inSize);
                double[] w = new double[hi - lo];
                double total = 0;
                for (int k = 0; k < w.length; k++) {
                    w[k] = cubic((k + lo - center + 0.5) * inverseScale);
                    total += w[k];
                }
                weights[i] = new int[w.length];
                for (int k = 0; k < w.length; k++) {
                    double normalised = total == 0 ? w[k] : w[k] / total;
                    weights[i][k] = (int) (normalised < 0
                            ? -0.5 + normalised * (1 << PRECISION_BITS)
                            : 0.5 + normalised * (1 << PRECISION_BITS));
                }
                min[i] = lo;
                count[i] = w.length;
            }
            return new Coefficients(min, count, weights);
        }

        /** Weighted sum for output position {@code i} over pixels {@code data[start + k * stride]}. */
        int apply(int i, int[] data, int start, int stride) {
            int[] w = weights[i];
            int r = 1 << (PRECISION_BITS - 1);
            int g = r;
            int b = r;
            for (int k = 0; k < w.length; k++) {
                int p = data[start + k * stride];
                r += (p >>> 16 & 0xFF) * w[k];
                g += (p >>> 8 & 0xFF) * w[k];
                b += (p & 0xFF) * w[k];
            }
            return clip8(r) << 16 | clip8(g) << 8 | clip8(b);
        }

        private static int clip8(int value) {
            if (value >= 1 << PRECISION_BITS << 8) {
                return 255;
            }
            return value <= 0 ? 0 : value >> PRECISION_BITS;
        }
    }

    private static double cubic(double x) {
        double a = -0.5;
        double t = Math.abs(x);
        if (t < 1.0) {
            return ((a + 2.0) * t - (a + 3.0)) * t * t + 1;
        }
        return t < 2.0 ? (((t - 5) * t + 8) * t - 4) * a : 0.0;
    }
}
