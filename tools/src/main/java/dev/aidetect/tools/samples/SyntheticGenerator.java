package dev.aidetect.tools.samples;

import java.util.SplittableRandom;

/**
 * Stand-in image sources with different pixel pipelines, so that every stage of the pipeline has something real to
 * learn: "real" photographs carry sensor noise and JPEG compression; each "generator" renders at its own low
 * resolution and upsamples the way its architecture does, leaving its own periodic fingerprint (the artefacts the
 * attribution research relies on: transposed-convolution checkerboards, pixel-shuffle grids, latent-decoder blocks).
 * These are not real GANs or diffusion models; they make a reproducible data set with honest structure.
 */
public enum SyntheticGenerator {
    /** A camera: RGGB Bayer mosaic with sensor noise, bilinear demosaicing, saved as JPEG. */
    REAL(null, null, "jpg"),
    /** Nearest-neighbour x4 upsampling with a period-4 checkerboard, like a transposed-convolution GAN. */
    UPCONV_GAN("gan", "upconv-gan", "png"),
    /** Bilinear x2 upsampling with a period-2 grid, like a pixel-shuffle GAN. */
    PIXELSHUFFLE_GAN("gan", "pixelshuffle-gan", "png"),
    /** Noise-free render with the decoder's fixed 8x8 pattern tiled over it, like a latent diffusion model's grid. */
    LATENT_DIFFUSION("diffusion", "latent-diffusion", "png"),
    /**
     * Bilinear x4 upsampling of a low-resolution render, then its super-resolution stage's own fixed 4x4 pattern and
     * faint noise, like a cascaded diffusion model.
     */
    CASCADE_DIFFUSION("diffusion", "cascade-diffusion", "png");

    private final String family;
    private final String generator;
    private final String extension;

    SyntheticGenerator(String family, String generator, String extension) {
        this.family = family;
        this.generator = generator;
        this.extension = extension;
    }

    /** gan or diffusion; {@code null} for real images. */
    public String family() {
        return family;
    }

    /** The generator's name; {@code null} for real images. */
    public String generator() {
        return generator;
    }

    public String extension() {
        return extension;
    }

    /** Folder below the data set root, as the ingest tool reads labels: real, or fake/FAMILY/GENERATOR. */
    public String folder() {
        return family == null ? "real" : "fake/" + family + "/" + generator;
    }

    /** Renders one size x size image as [y][x][c] floats. */
    public float[][][] render(SplittableRandom rng, int size) {
        return switch (this) {
            case REAL -> demosaic(rng, SceneRenderer.render(rng, size), 5f);
            case UPCONV_GAN -> checkerboard(upsampleNearest(SceneRenderer.render(rng, size / 4), 4), 4, 10f);
            case PIXELSHUFFLE_GAN -> checkerboard(upsampleBilinear(SceneRenderer.render(rng, size / 2), 2), 2, 8f);
            case LATENT_DIFFUSION -> tile(SceneRenderer.render(rng, size), decoderPattern(8, 6f));
            case CASCADE_DIFFUSION -> addNoise(rng,
                    tile(upsampleBilinear(SceneRenderer.render(rng, size / 4), 4), decoderPattern(4, 5f)), 1f);
        };
    }

    private static float[][][] addNoise(SplittableRandom rng, float[][][] px, float sigma) {
        for (float[][] row : px) {
            for (float[] p : row) {
                for (int c = 0; c < 3; c++) {
                    p[c] += (float) (gaussian(rng) * sigma);
                }
            }
        }
        return px;
    }

    /** Bayer channel (0 red, 1 green, 2 blue) a sensor records at (x, y), RGGB layout. */
    private static int bayer(int x, int y) {
        return (y % 2 == 0) ? (x % 2 == 0 ? 0 : 1) : (x % 2 == 0 ? 1 : 2);
    }

    /**
     * What a camera does: each photosite records one channel of the scene plus sensor noise, and the missing two
     * channels are interpolated from neighbours that recorded them. The interpolation leaves the camera's own
     * period-2, per-channel correlations.
     */
    private static float[][][] demosaic(SplittableRandom rng, float[][][] scene, float noise) {
        int n = scene.length;
        float[][] mosaic = new float[n][n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                mosaic[y][x] = scene[y][x][bayer(x, y)] + (float) (gaussian(rng) * noise);
            }
        }
        float[][][] out = new float[n][n][3];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                for (int c = 0; c < 3; c++) {
                    float sum = 0;
                    int count = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            if (yy >= 0 && yy < n && xx >= 0 && xx < n && bayer(xx, yy) == c
                                    && (bayer(x, y) != c || (dx == 0 && dy == 0))) {
                                sum += mosaic[yy][xx];
                                count++;
                            }
                        }
                    }
                    out[y][x][c] = sum / count;
                }
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = Math.max(rng.nextDouble(), 1e-12);
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static float[][][] checkerboard(float[][][] px, int period, float amplitude) {
        for (int y = 0; y < px.length; y++) {
            for (int x = 0; x < px[y].length; x++) {
                boolean on = ((x % period) < period / 2) ^ ((y % period) < period / 2);
                for (int c = 0; c < 3; c++) {
                    px[y][x][c] += on ? amplitude : -amplitude;
                }
            }
        }
        return px;
    }

    /**
     * The generator's own fixed pattern: the same for every image it makes, as a decoder's weights are. Seeded by the
     * generator, not the image.
     */
    private float[][] decoderPattern(int period, float amplitude) {
        SplittableRandom fixed = new SplittableRandom(0x5EED_0000L + ordinal());
        float[][] pattern = new float[period][period];
        for (float[] row : pattern) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) ((fixed.nextDouble() * 2 - 1) * amplitude);
            }
        }
        return pattern;
    }

    private static float[][][] tile(float[][][] px, float[][] pattern) {
        int period = pattern.length;
        for (int y = 0; y < px.length; y++) {
            for (int x = 0; x < px[y].length; x++) {
                for (int c = 0; c < 3; c++) {
                    px[y][x][c] += pattern[y % period][x % period];
                }
            }
        }
        return px;
    }

    private static float[][][] upsampleNearest(float[][][] src, int factor) {
        int n = src.length * factor;
        float[][][] out = new float[n][n][3];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out[y][x] = src[y / factor][x / factor].clone();
            }
        }
        return out;
    }

    private static float[][][] upsampleBilinear(float[][][] src, int factor) {
        int m = src.length;
        int n = m * factor;
        float[][][] out = new float[n][n][3];
        for (int y = 0; y < n; y++) {
            double sy = Math.clamp((y + 0.5) / factor - 0.5, 0, m - 1);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, m - 1);
            double fy = sy - y0;
            for (int x = 0; x < n; x++) {
                double sx = Math.clamp((x + 0.5) / factor - 0.5, 0, m - 1);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, m - 1);
                double fx = sx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = src[y0][x0][c] * (1 - fx) + src[y0][x1][c] * fx;
                    double bottom = src[y1][x0][c] * (1 - fx) + src[y1][x1][c] * fx;
                    out[y][x][c] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return out;
    }
}
