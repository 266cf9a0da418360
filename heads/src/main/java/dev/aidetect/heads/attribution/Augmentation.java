package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Optional training augmentations of a crop, applied to half of the crops each, before the noise residual: they
 * teach the network fingerprints that survive the re-encoding and softening images meet after generation.
 */
public enum Augmentation {
    /** JPEG re-encode at a random quality in 70..95. */
    JPEG,
    /** Gaussian blur with a random sigma in 0..1 pixel. */
    BLUR;

    private static final double CHANCE = 0.5;

    /** Parses a command line's name, e.g. {@code jpeg}. */
    public static Augmentation parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown augmentation '" + name + "'; use jpeg or blur", e);
        }
    }

    /** The crop, augmented half of the time (a new image when changed; the input is never modified). */
    BufferedImage maybeApply(BufferedImage rgb, Random random) {
        if (random.nextDouble() >= CHANCE) {
            return rgb;
        }
        return this == JPEG ? jpeg(rgb, 70 + random.nextInt(26)) : blur(rgb, random.nextDouble());
    }

    static BufferedImage jpeg(BufferedImage rgb, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.setOutput(out);
            writer.write(null, new IIOImage(rgb, null, null), param);
            out.flush();
            return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG augmentation failed at quality " + quality, e);
        } finally {
            writer.dispose();
        }
    }

    /**
     * Separable Gaussian blur with edge clamping; a sigma under 0.05 leaves the pixels as they are. Public for
     * {@code eval --sweep blur=...}, which measures a detector on images blurred the way training augments them.
     */
    public static BufferedImage blur(BufferedImage rgb, double sigma) {
        if (sigma < 0.05) {
            return rgb;
        }
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] pixels = rgb.getRGB(0, 0, w, h, null, 0, w);
        int[] once = convolve(pixels, w, h, kernel, 1, 0);
        int[] twice = convolve(once, w, h, kernel, 0, 1);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, twice, 0, w);
        return out;
    }

    private static int[] convolve(int[] argb, int w, int h, double[] kernel, int dx, int dy) {
        int radius = kernel.length / 2;
        int[] out = new int[argb.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int k = -radius; k <= radius; k++) {
                    int xx = Math.clamp(x + k * dx, 0, w - 1);
                    int yy = Math.clamp(y + k * dy, 0, h - 1);
                    int p = argb[yy * w + xx];
                    double weight = kernel[k + radius];
                    r += weight * (p >> 16 & 0xFF);
                    g += weight * (p >> 8 & 0xFF);
                    b += weight * (p & 0xFF);
                }
                out[y * w + x] = channel(r) << 16 | channel(g) << 8 | channel(b);
            }
        }
        return out;
    }

    private static int channel(double value) {
        return (int) Math.clamp(Math.round(value), 0, 255);
    }
}
