package dev.aidetect.imaging.decode;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Applies a JPEG's EXIF orientation (tag 0x0112 in IFD0 of the APP1 {@code Exif} segment) to its decoded pixels, as
 * PIL's {@code ImageOps.exif_transpose} does, so a photo taken sideways reaches the encoder upright. A missing,
 * unreadable or out-of-range tag means orientation 1 (as stored).
 */
final class ExifOrientation {

    private static final int ORIENTATION_TAG = 0x0112;
    private static final int SOS = 0xDA;
    private static final int APP1 = 0xE1;

    private ExifOrientation() {
    }

    /** The orientation (1..8) declared by the JPEG {@code bytes}; 1 when there is none. */
    static int of(byte[] jpeg) {
        int pos = 2;
        while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
            int marker = jpeg[pos + 1] & 0xFF;
            int length = (jpeg[pos + 2] & 0xFF) << 8 | jpeg[pos + 3] & 0xFF;
            if (marker == SOS || length < 2) {
                break;
            }
            if (marker == APP1 && length > 8 && pos + 2 + length <= jpeg.length
                    && new String(jpeg, pos + 4, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                return fromTiff(ByteBuffer.wrap(jpeg, pos + 10, length - 8).slice());
            }
            pos += 2 + length;
        }
        return 1;
    }

    private static int fromTiff(ByteBuffer tiff) {
        try {
            tiff.order(tiff.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            int ifd = tiff.getInt(4);
            int entries = tiff.getShort(ifd) & 0xFFFF;
            for (int i = 0; i < entries; i++) {
                int entry = ifd + 2 + 12 * i;
                if ((tiff.getShort(entry) & 0xFFFF) == ORIENTATION_TAG) {
                    int value = tiff.getShort(entry + 8) & 0xFFFF;
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            // A truncated or garbled EXIF block does not make the image unusable; PIL ignores it as well.
            return 1;
        }
        return 1;
    }

    /** Whether {@code orientation} turns the image a quarter, so width and height swap (5 to 8). */
    static boolean transposes(int orientation) {
        return orientation >= 5;
    }

    /** The image as displayed: {@code rgb} (packed RGB) flipped and/or rotated according to {@code orientation}. */
    static BufferedImage apply(BufferedImage rgb, int orientation) {
        if (orientation == 1) {
            return rgb;
        }
        int width = rgb.getWidth();
        int height = rgb.getHeight();
        boolean swap = transposes(orientation);
        int outWidth = swap ? height : width;
        int outHeight = swap ? width : height;
        int[] in = RgbImages.pixels(rgb);
        BufferedImage out = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        int[] pixels = RgbImages.pixels(out);
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                // (sx, sy): the stored pixel shown at (x, y).
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> {
                        sx = width - 1 - x;
                        sy = y;
                    }
                    case 3 -> {
                        sx = width - 1 - x;
                        sy = height - 1 - y;
                    }
                    case 4 -> {
                        sx = x;
                        sy = height - 1 - y;
                    }
                    case 5 -> {
                        sx = y;
                        sy = x;
                    }
                    case 6 -> {
                        sx = y;
                        sy = height - 1 - x;
                    }
                    case 7 -> {
                        sx = width - 1 - y;
                        sy = height - 1 - x;
                    }
                    default -> {
                        sx = width - 1 - y;
                        sy = x;
                    }
                }
                pixels[y * outWidth + x] = in[sy * width + sx];
            }
        }
        return out;
    }
}
