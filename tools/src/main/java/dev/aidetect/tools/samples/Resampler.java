package dev.aidetect.tools.samples;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * The upsampling operations of {@link UpsamplingPipeline} on one image plane: separable interpolation with a kernel,
 * transposed convolution and pixel shuffle with fixed random weights. Borders repeat the edge pixel. Every operation's
 * weights sum to 1 for each output pixel, so a flat plane stays flat.
 */
final class Resampler {
    /** Strength of the random part of the learned-looking kernels, relative to their smooth base. */
    private static final double JITTER = 0.4;
    /** Standard deviation of each pixel-shuffle filter tap's jitter around the identity. */
    private static final double SHUFFLE_JITTER = 0.05;

    private Resampler() {
    }

    /** Interpolation by {@code kernel} (zero beyond {@code support} input pixels), rows then columns. */
    static float[][] separable(float[][] src, int factor, DoubleUnaryOperator kernel, int support) {
        int h = src.length;
        int w = src[0].length;
        double[][] columns = weights(w, factor, kernel, support);
        double[][] rows = weights(h, factor, kernel, support);
        float[][] wide = new float[h][w * factor];
        for (int y = 0; y < h; y++) {
            for (int o = 0; o < w * factor; o++) {
                int first = first(o, factor, support);
                for (int k = 0; k < 2 * support; k++) {
                    wide[y][o] += (float) (columns[o][k] * src[y][clamp(first + k, w)]);
                }
            }
        }
        float[][] out = new float[h * factor][w * factor];
        for (int o = 0; o < h * factor; o++) {
            int first = first(o, factor, support);
            for (int k = 0; k < 2 * support; k++) {
                float[] from = wide[clamp(first + k, h)];
                for (int x = 0; x < w * factor; x++) {
                    out[o][x] += (float) (rows[o][k] * from[x]);
                }
            }
        }
        return out;
    }

    /**
     * A stride-{@code factor} transposed convolution with a 2*factor square kernel (so neighbouring outputs overlap
     * unevenly, the source of GAN checkerboards): a bilinear tent with seeded random jitter, normalised per output
     * phase.
     */
    static float[][] transposedConvolution(float[][] src, int factor, SplittableRandom random) {
        int size = 2 * factor;
        double[][] kernel = new double[size][size];
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                kernel[a][b] = tent(a, factor) * tent(b, factor) * (1 + JITTER * random.nextGaussian());
            }
        }
        int h = src.length;
        int w = src[0].length;
        int pad = factor / 2;
        float[][] out = new float[h * factor][w * factor];
        for (int y = 0; y < h * factor; y++) {
            int iy = Math.floorDiv(y + pad, factor);
            int py = y + pad - factor * iy;
            for (int x = 0; x < w * factor; x++) {
                int ix = Math.floorDiv(x + pad, factor);
                int px = x + pad - factor * ix;
                double sum = 0;
                double norm = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        double weight = kernel[py + factor * dy][px + factor * dx];
                        sum += weight * src[clamp(iy - dy, h)][clamp(ix - dx, w)];
                        norm += weight;
                    }
                }
                out[y][x] = (float) (sum / norm);
            }
        }
        return out;
    }

    /**
     * Output channel {@code channel} of a 3x3 convolution to factor^2 sub-pixel channels followed by pixel shuffle:
     * each sub-pixel position has its own filter, the identity plus seeded random jitter mixing all three channels.
     */
    static float[][] pixelShuffle(float[][][] src, int channel, int factor, SplittableRandom random) {
        int h = src[0].length;
        int w = src[0][0].length;
        float[][] out = new float[h * factor][w * factor];
        for (int phase = 0; phase < factor * factor; phase++) {
            double[][][] filter = new double[3][3][3];
            for (double[][] plane : filter) {
                double jitterSum = 0;
                for (double[] row : plane) {
                    for (int dx = 0; dx < 3; dx++) {
                        row[dx] = SHUFFLE_JITTER * random.nextGaussian();
                        jitterSum += row[dx];
                    }
                }
                // Zero-sum jitter per input channel: a flat colour keeps its value in every output channel.
                for (double[] row : plane) {
                    for (int dx = 0; dx < 3; dx++) {
                        row[dx] -= jitterSum / 9;
                    }
                }
            }
            filter[channel][1][1] += 1;
            int py = phase / factor;
            int px = phase % factor;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sum = 0;
                    for (int c = 0; c < 3; c++) {
                        for (int dy = 0; dy < 3; dy++) {
                            for (int dx = 0; dx < 3; dx++) {
                                sum += filter[c][dy][dx] * src[c][clamp(y + dy - 1, h)][clamp(x + dx - 1, w)];
                            }
                        }
                    }
                    out[factor * y + py][factor * x + px] = (float) sum;
                }
            }
        }
        return out;
    }

    /** Normalised kernel weights of each output position's 2*support input taps, the first at {@link #first}. */
    private static double[][] weights(int n, int factor, DoubleUnaryOperator kernel, int support) {
        double[][] weights = new double[n * factor][2 * support];
        for (int o = 0; o < n * factor; o++) {
            double centre = (o + 0.5) / factor - 0.5;
            int first = first(o, factor, support);
            double norm = 0;
            for (int k = 0; k < 2 * support; k++) {
                weights[o][k] = kernel.applyAsDouble(centre - (first + k));
                norm += weights[o][k];
            }
            for (int k = 0; k < 2 * support; k++) {
                weights[o][k] /= norm;
            }
        }
        return weights;
    }

    private static int first(int o, int factor, int support) {
        return (int) Math.floor((o + 0.5) / factor - 0.5) - support + 1;
    }

    private static double tent(int k, int factor) {
        return 1 - Math.abs(k - (factor - 0.5)) / factor;
    }

    private static int clamp(int i, int n) {
        return Math.clamp(i, 0, n - 1);
    }
}
