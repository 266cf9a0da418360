package dev.aidetect.imaging;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/** Converts decoded images to 8-bit {@link BufferedImage#TYPE_INT_RGB} the way PIL's {@code convert('RGB')} does. */
final class RgbImages {

    private RgbImages() {
    }

    /**
     * Alpha is dropped, not composited (PIL keeps the colour channels of transparent pixels as they are); greyscale is
     * copied into all three channels from the raw samples, because {@code getRGB} would run it through the linear
     * grey colour space and change its values. An image that is already packed RGB in its own buffer is returned as is.
     */
    static BufferedImage toRgb(BufferedImage image) {
        if (ownsPackedRgbBuffer(image)) {
            return image;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        ColorModel model = image.getColorModel();
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
            copyGrey(image.getRaster(), model.getComponentSize(0), out);
        } else {
            image.getRGB(0, 0, width, height, out, 0, width);
            for (int i = 0; i < out.length; i++) {
                out[i] &= 0xFFFFFF;
            }
        }
        return rgb;
    }

    /** The packed 0xRRGGBB pixels of an image, row-major; no copy for images {@link ImageDecoder} returns. */
    static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) toRgb(image).getRaster().getDataBuffer()).getData();
    }

    private static boolean ownsPackedRgbBuffer(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        return image.getType() == BufferedImage.TYPE_INT_RGB && raster.getDataBuffer() instanceof DataBufferInt buffer
                && buffer.getNumBanks() == 1 && buffer.getOffset() == 0
                && buffer.getSize() == image.getWidth() * image.getHeight()
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
    }

    private static void copyGrey(Raster raster, int bits, int[] out) {
        int width = raster.getWidth();
        int[] row = new int[width];
        int shift = Math.max(bits - 8, 0);
        int scale = bits < 8 ? 255 / ((1 << bits) - 1) : 1;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                int v = (row[x] >>> shift) * scale;
                out[y * width + x] = v << 16 | v << 8 | v;
            }
        }
    }
}
