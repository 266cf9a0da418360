package dev.aidetect.tools.samples;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Renders procedural "photographs": a lit gradient, soft blobs of colour and low-frequency texture. The scene is the
 * content; what tells real from generated in {@link SyntheticGenerator} is how it is turned into pixels, as in real
 * detectors, where content varies and the pixel pipeline leaves the fingerprint.
 */
final class SceneRenderer {
    private SceneRenderer() {
    }

    /** A size x size scene as linear RGB floats in [0, 255], laid out [y][x][channel]. */
    static float[][][] render(SplittableRandom rng, int size) {
        float[][][] px = new float[size][size][3];
        float[] top = colour(rng);
        float[] bottom = colour(rng);
        double angle = rng.nextDouble(Math.PI);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        int blobs = 4 + rng.nextInt(7);
        double[][] blob = new double[blobs][];
        for (int b = 0; b < blobs; b++) {
            float[] c = colour(rng);
            blob[b] = new double[]{rng.nextDouble(), rng.nextDouble(), 0.05 + rng.nextDouble(0.25),
                    0.05 + rng.nextDouble(0.25), c[0], c[1], c[2], 0.4 + rng.nextDouble(0.6)};
        }
        double[][] waves = new double[3][];
        for (int w = 0; w < waves.length; w++) {
            waves[w] = new double[]{rng.nextDouble(1, 6), rng.nextDouble(1, 6), rng.nextDouble(2 * Math.PI),
                    rng.nextDouble(4, 14)};
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = (x + 0.5) / size;
                double v = (y + 0.5) / size;
                double t = Math.clamp((u - 0.5) * cos + (v - 0.5) * sin + 0.5, 0, 1);
                double texture = 0;
                for (double[] w : waves) {
                    texture += w[3] * Math.sin(2 * Math.PI * (w[0] * u + w[1] * v) + w[2]);
                }
                for (int c = 0; c < 3; c++) {
                    double value = top[c] * (1 - t) + bottom[c] * t;
                    for (double[] b : blob) {
                        double dx = (u - b[0]) / b[2];
                        double dy = (v - b[1]) / b[3];
                        double weight = b[7] * Math.exp(-(dx * dx + dy * dy));
                        value = value * (1 - weight) + b[4 + c] * weight;
                    }
                    px[y][x][c] = (float) (value + texture);
                }
            }
        }
        return px;
    }

    private static float[] colour(SplittableRandom rng) {
        return new float[]{30 + rng.nextInt(200), 30 + rng.nextInt(200), 30 + rng.nextInt(200)};
    }

    /** Packs [y][x][c] floats into an RGB image, clamping to [0, 255]. */
    static BufferedImage toImage(float[][][] px) {
        int h = px.length;
        int w = px[0].length;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = clamp(px[y][x][0]);
                int g = clamp(px[y][x][1]);
                int b = clamp(px[y][x][2]);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int clamp(float v) {
        return Math.clamp(Math.round(v), 0, 255);
    }
}
