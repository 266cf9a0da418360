package dev.aidetect.imaging.decode;

import java.awt.image.BufferedImage;

/**
 * A decoded image as 8-bit RGB ({@link BufferedImage#TYPE_INT_RGB}), with the container format it came in
 * ({@code jpeg}, {@code png}, {@code webp}, {@code gif}, {@code bmp}, {@code tiff}) and the decoder that made its pixels
 * ({@link JpegDecoder#LIBJPEG_TURBO} or {@link JpegDecoder#IMAGEIO}); width and height are those of the image as
 * displayed (after EXIF orientation), at full size. {@code rgb} is that size, or 1/{@code scale} of it (rounded up) when
 * a JPEG was decoded in {@linkplain ImageDecoder#draft draft mode}.
 */
public record DecodedImage(BufferedImage rgb, String format, int width, int height, int scale, JpegDecoder decoder) {

    /** A full decode by ImageIO. */
    public DecodedImage(BufferedImage rgb, String format) {
        this(rgb, format, rgb.getWidth(), rgb.getHeight(), 1, JpegDecoder.IMAGEIO);
    }

    /** Whether the pixels are a draft (reduced-scale) decode rather than the full image. */
    public boolean draft() {
        return scale > 1;
    }
}
