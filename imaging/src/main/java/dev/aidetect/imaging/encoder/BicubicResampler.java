package dev.aidetect.imaging.encoder;

import java.util.Arrays;

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

    /** Rows resampled together: the inner loops run over a strip's rows, which the JIT turns into vector code. */
    private static final int STRIP = 128;
    /** Columns copied together into a strip. */
    private static final int TILE = 128;

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
        int[][] temp = horizontalPass(in, inWidth, firstRow, rows, horizontal, size);
        return verticalPass(temp, vertical, firstRow, size);
    }

    /**
     * The horizontal pass over {@code rows} input rows from {@code firstRow}. Strips of {@link #STRIP} rows are copied
     * into one array per input column, so every filter tap is a multiply-add over the strip's rows that the JIT
     * vectorises (it cannot where the tap's data sits at a variable offset in the array it accumulates into).
     */
    private static int[][] horizontalPass(int[] in, int inWidth, int firstRow, int rows, Coefficients filter,
            int size) {
        int firstColumn = filter.min[0];
        int columns = filter.min[size - 1] + filter.count[size - 1] - firstColumn;
        int[][] strip = new int[columns][STRIP];
        int[] red = new int[STRIP];
        int[] green = new int[STRIP];
        int[] blue = new int[STRIP];
        int[][] temp = new int[rows][size];
        for (int top = 0; top < rows; top += STRIP) {
            int n = Math.min(STRIP, rows - top);
            int start = (firstRow + top) * inWidth + firstColumn;
            // Row by row within tiles of columns: reads stay sequential, writes stay in the L1 cache.
            for (int tile = 0; tile < columns; tile += TILE) {
                int end = Math.min(tile + TILE, columns);
                for (int j = 0; j < n; j++) {
                    int row = start + j * inWidth;
                    for (int c = tile; c < end; c++) {
                        strip[c][j] = in[row + c];
                    }
                }
            }
            for (int x = 0; x < size; x++) {
                accumulate(strip, filter.min[x] - firstColumn, filter.weights[x], red, green, blue, n);
                for (int j = 0; j < n; j++) {
                    temp[top + j][x] = pack(red[j], green[j], blue[j]);
                }
            }
        }
        return temp;
    }

    /** The vertical pass: each output row is a weighted sum of whole rows of {@code temp}. */
    private static int[] verticalPass(int[][] temp, Coefficients filter, int firstRow, int size) {
        int[] red = new int[size];
        int[] green = new int[size];
        int[] blue = new int[size];
        int[] out = new int[size * size];
        for (int y = 0; y < size; y++) {
            accumulate(temp, filter.min[y] - firstRow, filter.weights[y], red, green, blue, size);
            for (int x = 0; x < size; x++) {
                out[y * size + x] = pack(red[x], green[x], blue[x]);
            }
        }
        return out;
    }

    /**
     * Sets {@code red/green/blue[0..n)} to the rounding offset plus the weighted sum of the vectors
     * {@code vectors[first + k][0..n)}, {@code k} over the weights.
     */
    private static void accumulate(int[][] vectors, int first, int[] w, int[] red, int[] green, int[] blue, int n) {
        int half = 1 << (PRECISION_BITS - 1);
        Arrays.fill(red, 0, n, half);
        Arrays.fill(green, 0, n, half);
        Arrays.fill(blue, 0, n, half);
        for (int k = 0; k < w.length; k++) {
            int weight = w[k];
            int[] vector = vectors[first + k];
            for (int j = 0; j < n; j++) {
                int p = vector[j];
                red[j] += (p >>> 16 & 0xFF) * weight;
                green[j] += (p >>> 8 & 0xFF) * weight;
                blue[j] += (p & 0xFF) * weight;
            }
        }
    }

    private static int pack(int red, int green, int blue) {
        return clip8(red) << 16 | clip8(green) << 8 | clip8(blue);
    }

    private static int clip8(int value) {
        if (value >= 1 << PRECISION_BITS << 8) {
            return 255;
        }
        return value <= 0 ? 0 : value >> PRECISION_BITS;
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
