package dev.aidetect.imaging.encoder;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.RgbImages;

/**
 * Turns an RGB image into the encoder's normalised CHW float input ({@code 3 x inputSize x inputSize}), written into a
 * caller-provided array at an offset so one batch buffer is reused for every image. Stateless and thread-safe.
 *
 * <p>
 * Values are {@code (pixel / 255 - mean[c]) / std[c]} in float arithmetic, as torchvision's {@code ToTensor} and
 * {@code Normalize} compute them. The centre crop offset is {@code round((size - inputSize) / 2)} with Python's
 * half-to-even rounding, as torchvision's {@code CenterCrop}.
 */
public final class Preprocessor {

    private static final int CHANNELS = 3;

    private final PreprocessMode mode;
    private final int inputSize;
    /** Normalised value of every 8-bit level, per channel. */
    private final float[][] levels = new float[CHANNELS][256];

    public Preprocessor(PreprocessMode mode, int inputSize, List<Float> mean, List<Float> std) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (inputSize <= 0 || mean.size() != CHANNELS || std.size() != CHANNELS) {
            throw new IllegalArgumentException(
                    "need a positive input size and 3 means and stds, got " + inputSize + ", " + mean + ", " + std);
        }
        this.inputSize = inputSize;
        for (int c = 0; c < CHANNELS; c++) {
            for (int v = 0; v < 256; v++) {
                levels[c][v] = (v / 255f - mean.get(c)) / std.get(c);
            }
        }
    }

    public static Preprocessor of(EncoderManifest manifest) {
        return new Preprocessor(manifest.preprocess(), manifest.inputSize(), manifest.mean(), manifest.std());
    }

    public PreprocessMode mode() {
        return mode;
    }

    public int inputSize() {
        return inputSize;
    }

    /**
     * The side to give {@link ImageDecoder#draft} so that a draft decode still feeds this preprocessing: the input size
     * for CLIP and RESIZE, which resize anyway; 0 (no draft) for a crop, which needs the full-size pixels.
     */
    public int draftSide() {
        return mode == PreprocessMode.CROP ? 0 : inputSize;
    }

    /** Floats one image occupies in a batch buffer. */
    public int floatsPerImage() {
        return CHANNELS * inputSize * inputSize;
    }

    /** Writes {@code image} as {@link #floatsPerImage()} floats into {@code out} starting at {@code offset}. */
    public void preprocess(BufferedImage image, float[] out, int offset) {
        Objects.checkFromIndexSize(offset, floatsPerImage(), out.length);
        int[] pixels = RgbImages.pixels(image);
        int width = image.getWidth();
        int height = image.getHeight();
        if (mode == PreprocessMode.CLIP) {
            int shortSide = Math.min(width, height);
            int longSide = (int) ((double) inputSize * Math.max(width, height) / shortSide);
            int newWidth = width <= height ? inputSize : longSide;
            int newHeight = width <= height ? longSide : inputSize;
            int[] window = BicubicResampler.resizeWindow(pixels, width, height, newWidth, newHeight,
                    cropStart(newWidth), cropStart(newHeight), inputSize);
            normalise(window, inputSize, inputSize, 0, 0, out, offset);
        } else if (mode == PreprocessMode.RESIZE) {
            int[] resized = BicubicResampler.resizeWindow(pixels, width, height, inputSize, inputSize, 0, 0,
                    inputSize);
            normalise(resized, inputSize, inputSize, 0, 0, out, offset);
        } else {
            normalise(pixels, width, height, cropStart(width), cropStart(height), out, offset);
        }
    }

    /** Convenience for a single image: a new array of {@link #floatsPerImage()} floats. */
    public float[] preprocess(BufferedImage image) {
        float[] out = new float[floatsPerImage()];
        preprocess(image, out, 0);
        return out;
    }

    /** First source row/column of the centre window; negative when the side is shorter and gets padded. */
    private int cropStart(int side) {
        return side >= inputSize ? (int) Math.rint((side - inputSize) / 2.0) : -((inputSize - side) / 2);
    }

    /** Copies the window at (left, top) of a packed image, black outside it, as normalised CHW floats. */
    private void normalise(int[] pixels, int width, int height, int left, int top, float[] out, int offset) {
        int plane = inputSize * inputSize;
        for (int y = 0; y < inputSize; y++) {
            int sy = y + top;
            for (int x = 0; x < inputSize; x++) {
                int sx = x + left;
                int p = sy >= 0 && sy < height && sx >= 0 && sx < width ? pixels[sy * width + sx] : 0;
                int i = offset + y * inputSize + x;
                out[i] = levels[0][p >>> 16 & 0xFF];
                out[i + plane] = levels[1][p >>> 8 & 0xFF];
                out[i + 2 * plane] = levels[2][p & 0xFF];
            }
        }
    }
}
