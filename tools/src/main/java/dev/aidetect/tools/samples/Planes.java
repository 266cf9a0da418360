package dev.aidetect.tools.samples;

import java.awt.image.BufferedImage;

/** RGB images as three planes of floats in 0..255 ({@code [channel][y][x]}) and back, rounded and clamped. */
final class Planes {
    private Planes() {
    }

    static float[][][] of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][][] chw = new float[3][h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = argb[y * w + x];
                chw[0][y][x] = p >> 16 & 0xFF;
                chw[1][y][x] = p >> 8 & 0xFF;
                chw[2][y][x] = p & 0xFF;
            }
        }
        return chw;
    }

    static BufferedImage toImage(float[][][] chw) {
        int h = chw[0].length;
        int w = chw[0][0].length;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, channel(chw[0][y][x]) << 16 | channel(chw[1][y][x]) << 8 | channel(chw[2][y][x]));
            }
        }
        return image;
    }

    private static int channel(float value) {
        return Math.clamp(Math.round(value), 0, 255);
    }
}
