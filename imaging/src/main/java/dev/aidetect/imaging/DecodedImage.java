package dev.aidetect.imaging;

import java.awt.image.BufferedImage;

/**
 * A decoded image as 8-bit RGB ({@link BufferedImage#TYPE_INT_RGB}), with the container format it came in
 * ({@code jpeg}, {@code png}, {@code webp}, {@code gif}, {@code bmp}, {@code tiff}); width and height are
 * those of the image as displayed (after EXIF orientation).
 */
public record DecodedImage(BufferedImage rgb, String format, int width, int height) {

    public DecodedImage(BufferedImage rgb, String format) {
        this(rgb, format, rgb.getWidth(), rgb.getHeight());
    }
}
