package dev.aidetect.tools.samples;

import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Stand-in "generators" made from real photographs: each enlarges a small photo four times with its own upsampling
 * pipeline and so leaves its own pixel fingerprint, as a generator's final upsampling layers do. Interpolation kernels
 * (nearest, bilinear, bicubic, Lanczos) play the part of fixed-kernel decoders; transposed convolution and pixel
 * shuffle with fixed random (seeded) weights play the part of learned GAN upsamplers, two seeds giving two
 * generators of the same architecture. Every pipeline keeps a flat image flat, so content alone cannot tell them
 * apart; only the fingerprint can.
 */
public enum UpsamplingPipeline {
    NEAREST, BILINEAR, BICUBIC, LANCZOS, TCONV_A, TCONV_B, PIXELSHUFFLE;

    public static final int FACTOR = 4;

    /** The generator name, e.g. {@code tconv-a}. */
    public String generatorName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a generator name as {@link #generatorName()} writes it. */
    public static UpsamplingPipeline parse(String name) {
        for (UpsamplingPipeline pipeline : values()) {
            if (pipeline.generatorName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return pipeline;
            }
        }
        throw new IllegalArgumentException("no upsampling pipeline '" + name + "'; choose one of "
                + java.util.Arrays.stream(values()).map(UpsamplingPipeline::generatorName).toList());
    }

    /** The photo enlarged {@value #FACTOR} times, rounded to 8-bit RGB. */
    public BufferedImage upsample(BufferedImage photo) {
        float[][][] chw = Planes.of(photo);
        float[][][] up = new float[3][][];
        for (int c = 0; c < 3; c++) {
            up[c] = switch (this) {
                case NEAREST -> Resampler.separable(chw[c], FACTOR, x -> x > -0.5 && x <= 0.5 ? 1 : 0, 1);
                case BILINEAR -> Resampler.separable(chw[c], FACTOR, x -> Math.max(0, 1 - Math.abs(x)), 1);
                case BICUBIC -> Resampler.separable(chw[c], FACTOR, UpsamplingPipeline::keys, 2);
                case LANCZOS -> Resampler.separable(chw[c], FACTOR, x -> sinc(x) * sinc(x / 3), 3);
                case TCONV_A -> Resampler.transposedConvolution(chw[c], FACTOR, new SplittableRandom(11 + c));
                case TCONV_B -> Resampler.transposedConvolution(chw[c], FACTOR, new SplittableRandom(23 + c));
                case PIXELSHUFFLE -> Resampler.pixelShuffle(chw, c, FACTOR, new SplittableRandom(37 + c));
            };
        }
        return Planes.toImage(up);
    }

    /** Keys' cubic convolution kernel with a = -0.5, as bicubic resizers use. */
    private static double keys(double x) {
        double a = -0.5;
        double t = Math.abs(x);
        if (t <= 1) {
            return (a + 2) * t * t * t - (a + 3) * t * t + 1;
        }
        return t < 2 ? a * t * t * t - 5 * a * t * t + 8 * a * t - 4 * a : 0;
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }
}
