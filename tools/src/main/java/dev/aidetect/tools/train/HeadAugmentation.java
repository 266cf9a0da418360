package dev.aidetect.tools.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.aidetect.heads.attribution.Augmentation;
import dev.aidetect.imaging.Jpegs;
import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;

/**
 * The augmentations {@code train heads --augment} applies to copies of the training images before they are embedded,
 * as the seeds train their CLIP heads with blur and JPEG for robustness. A copy gets every augmentation asked for, in
 * the order an image meets them after generation: cropped, colour-jittered, blurred, then JPEG re-encoded.
 */
public enum HeadAugmentation {
    /** A random crop keeping 70-100% of each side, placed anywhere; the encoder's preprocessing resizes it. */
    CROP,
    /** Brightness, contrast and saturation each scaled by a random factor in 0.7-1.3. */
    JITTER,
    /** Gaussian blur with a random sigma in 0-3 pixels. */
    BLUR,
    /** JPEG re-encode at a random quality in 30-95. */
    JPEG;

    private static final ImageDecoder DECODER = new ImageDecoder(DecodeLimits.defaults());

    /**
     * What {@code --augment} asks for: {@code perImage} copies of every training image, each with all of
     * {@code kinds}, drawn from a random seeded with {@code seed}.
     */
    public record Plan(Set<HeadAugmentation> kinds, int perImage, long seed) {
        public Plan {
            kinds = Set.copyOf(new TreeSet<>(kinds));
            if (!kinds.isEmpty() && perImage < 1) {
                throw new IllegalArgumentException("augmented copies per image must be at least 1, got " + perImage);
            }
        }

        public static Plan none() {
            return new Plan(Set.of(), 0, 0);
        }

        boolean any() {
            return !kinds.isEmpty();
        }

        /** The copies of one image; a shared random, so one seed makes the whole run's copies the same again. */
        Function<BufferedImage, List<BufferedImage>> copier() {
            Random random = new Random(seed);
            return rgb -> any() ? copies(rgb, new TreeSet<>(kinds), perImage, random) : List.of();
        }

        String label() {
            return kinds.stream().map(k -> k.name().toLowerCase(Locale.ROOT)).sorted().toList().toString();
        }
    }

    /** Parses {@code jpeg,blur,jitter,crop} (any subset, any order, any case). */
    public static Set<HeadAugmentation> parse(List<String> names) {
        Set<HeadAugmentation> chosen = new TreeSet<>();
        for (String name : names) {
            try {
                chosen.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown augmentation '" + name + "'; use jpeg, blur, jitter or "
                        + "crop", e);
            }
        }
        return chosen;
    }

    /** A copy of {@code rgb} with every augmentation of {@code chosen}, each at a strength drawn from {@code random}. */
    static BufferedImage copy(BufferedImage rgb, Set<HeadAugmentation> chosen, Random random) {
        BufferedImage image = rgb;
        for (HeadAugmentation augmentation : chosen) {
            image = augmentation.apply(image, random);
        }
        return image;
    }

    /** {@code copies} augmented copies of {@code rgb}. */
    static List<BufferedImage> copies(BufferedImage rgb, Set<HeadAugmentation> chosen, int copies, Random random) {
        List<BufferedImage> out = new ArrayList<>(copies);
        for (int i = 0; i < copies; i++) {
            out.add(copy(rgb, chosen, random));
        }
        return out;
    }

    BufferedImage apply(BufferedImage rgb, Random random) {
        return switch (this) {
            case CROP -> crop(rgb, random);
            case JITTER -> jitter(rgb, 0.7 + 0.6 * random.nextDouble(), 0.7 + 0.6 * random.nextDouble(),
                    0.7 + 0.6 * random.nextDouble());
            case BLUR -> Augmentation.blur(rgb, 3 * random.nextDouble());
            case JPEG -> jpeg(rgb, 30 + random.nextInt(66));
        };
    }

    private static BufferedImage crop(BufferedImage rgb, Random random) {
        int w = Math.max(1, (int) Math.round(rgb.getWidth() * (0.7 + 0.3 * random.nextDouble())));
        int h = Math.max(1, (int) Math.round(rgb.getHeight() * (0.7 + 0.3 * random.nextDouble())));
        int x = random.nextInt(rgb.getWidth() - w + 1);
        int y = random.nextInt(rgb.getHeight() - h + 1);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb.getRGB(x, y, w, h, null, 0, w), 0, w);
        return out;
    }

    /** Brightness scales the pixels, contrast scales their distance from the mean grey, saturation from each grey. */
    static BufferedImage jitter(BufferedImage rgb, double brightness, double contrast, double saturation) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] pixels = rgb.getRGB(0, 0, w, h, null, 0, w);
        double meanGrey = 0;
        for (int p : pixels) {
            meanGrey += grey(p) * brightness;
        }
        meanGrey /= pixels.length;
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            double r = (p >> 16 & 0xFF) * brightness;
            double g = (p >> 8 & 0xFF) * brightness;
            double b = (p & 0xFF) * brightness;
            double y = 0.299 * r + 0.587 * g + 0.114 * b;
            r = contrasted(y + saturation * (r - y), meanGrey, contrast);
            g = contrasted(y + saturation * (g - y), meanGrey, contrast);
            b = contrasted(y + saturation * (b - y), meanGrey, contrast);
            pixels[i] = channel(r) << 16 | channel(g) << 8 | channel(b);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, pixels, 0, w);
        return out;
    }

    private static double grey(int p) {
        return 0.299 * (p >> 16 & 0xFF) + 0.587 * (p >> 8 & 0xFF) + 0.114 * (p & 0xFF);
    }

    private static double contrasted(double value, double mean, double contrast) {
        return mean + contrast * (value - mean);
    }

    private static int channel(double value) {
        return (int) Math.clamp(Math.round(value), 0, 255);
    }

    /** Re-encoded by the JDK's encoder and decoded as the embedder decodes uploads. */
    private static BufferedImage jpeg(BufferedImage rgb, int quality) {
        try {
            return DECODER.decode(Jpegs.encode(rgb, quality / 100f)).rgb();
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG augmentation failed at quality " + quality + ": " + e.getMessage(),
                    e);
        } catch (ImageRejectedException e) {
            throw new IllegalStateException("a JPEG re-encoded at quality " + quality + " does not decode: "
                    + e.getMessage(), e);
        }
    }
}
